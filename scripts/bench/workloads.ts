// The benchmark's workloads: what buyers and ERPs ask all day, as GraphQL operations, and for
// W1 and W2 the same answer built by PostgreSQL in one statement (the ceiling).

export const W1_ORDER_HISTORY = `query W1OrderHistory {
  orders(first: 50) {
    nodes {
      number status placedAt
      total { amount currency }
      lines { sku quantity unitPrice { amount currency } }
      shipments {
        airwayBill { number } carrier status estimatedDeliveryAt
        events(first: 3) { nodes { occurredAt status location description } }
      }
    }
  }
}`;

export const W2_CATALOG_PAGE = `query W2CatalogPage($metal: Metal!) {
  products(first: 100, filter: { metals: [$metal] }) {
    nodes {
      styleCode name fineness
      variants {
        sku ringSize { iso } chainLengthMm
        price { amount currency }
        availability { available status incoming { readyDate unallocated } }
      }
    }
  }
}`;

export const W3_TRACKING = `query W3Tracking($awb: String!) {
  shipment(airwayBill: $awb) {
    status carrier trackingNumber
    airwayBill { number type airline }
    estimatedDeliveryAt deliveredAt
    events(first: 10) { nodes { occurredAt status location description } }
    documents { kind number issueDate url }
    order { number status }
  }
}`;

export const W4_SYNC = `query W4Sync($since: DateTime!, $after: String) {
  orders(first: 100, after: $after, filter: { updatedSince: $since }) {
    nodes { number status updatedAt total { amount currency } lines { sku quantity unitPrice { amount } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const W2_METAL = "GOLD";

// The same JSON as Facet's, to the byte where it matters: DateTime as toISOString(), Money with
// two decimals (every benchmark currency has two), Date as YYYY-MM-DD.
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const money = (amount: string, currency: string) => `json_build_object('amount', round(${amount}, 2)::text, 'currency', ${currency})`;

// $1 is the signed-in user's id: the statement finds the user's distributor itself, so the
// ceiling too checks the account on every request.
export const W1_CEILING_SQL = `
WITH me AS (SELECT u.distributor_id FROM users u WHERE u.id = $1 AND u.active),
page AS (
  SELECT o.* FROM orders o WHERE o.distributor_id = (SELECT distributor_id FROM me)
  ORDER BY o.placed_at DESC, o.id LIMIT 50
)
SELECT json_build_object('data', json_build_object('orders', json_build_object('nodes', COALESCE(json_agg(json_build_object(
  'number', p.number, 'status', p.status, 'placedAt', ${iso("p.placed_at")},
  'total', ${money("p.total", "p.currency")},
  'lines', (SELECT COALESCE(json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'unitPrice', ${money("l.unit_price", "p.currency")})
                                     ORDER BY l.line_number), '[]') FROM order_lines l WHERE l.order_id = p.id),
  'shipments', (SELECT COALESCE(json_agg(json_build_object(
      'airwayBill', CASE WHEN s.awb_number IS NULL THEN NULL
                         ELSE json_build_object('number', CASE WHEN s.awb_type = 'HOUSE' THEN s.awb_number ELSE substr(s.awb_number, 1, 3) || '-' || substr(s.awb_number, 4) END) END,
      'carrier', s.carrier, 'status', s.status, 'estimatedDeliveryAt', ${iso("s.estimated_delivery_at")},
      'events', json_build_object('nodes', (
        SELECT COALESCE(json_agg(json_build_object('occurredAt', ${iso("e.occurred_at")}, 'status', e.status, 'location', e.location, 'description', e.description)
                                 ORDER BY e.seq DESC), '[]')
        FROM (SELECT * FROM tracking_events te WHERE te.shipment_id = s.id ORDER BY te.seq DESC LIMIT 3) e))
    ) ORDER BY s.created_at, s.id), '[]') FROM shipments s WHERE s.order_id = p.id)
) ORDER BY p.placed_at DESC, p.id), '[]'))))::text AS body
FROM page p`;

// $1 the user's id, $2 the metal.
export const W2_CEILING_SQL = `
WITH me AS (SELECT u.distributor_id FROM users u WHERE u.id = $1 AND u.active),
page AS (SELECT p.* FROM products p WHERE p.metal = $2 ORDER BY p.name, p.id LIMIT 100)
SELECT json_build_object('data', json_build_object('products', json_build_object('nodes', COALESCE(json_agg(json_build_object(
  'styleCode', p.style_code, 'name', p.name, 'fineness', p.fineness,
  'variants', (SELECT COALESCE(json_agg(json_build_object(
      'sku', v.sku,
      'ringSize', CASE WHEN v.ring_size_mm IS NULL THEN NULL ELSE json_build_object('iso', round(v.ring_size_mm)::text) END,
      'chainLengthMm', v.chain_length_mm,
      'price', (SELECT ${money("pr.amount", "pr.currency")} FROM variant_prices pr
                WHERE pr.distributor_id = (SELECT distributor_id FROM me) AND pr.variant_id = v.id),
      'availability', json_build_object(
        'available', a.available,
        'status', CASE WHEN v.discontinued OR p.discontinued THEN 'DISCONTINUED'
                       WHEN a.available > COALESCE(st.low_stock_threshold, 0) THEN 'IN_STOCK'
                       WHEN a.available > 0 THEN 'LOW_STOCK' ELSE 'MADE_TO_ORDER' END,
        'incoming', (SELECT COALESCE(json_agg(json_build_object('readyDate', b.ready_date::text, 'unallocated', b.quantity - b.allocated)
                                              ORDER BY b.ready_date, b.id), '[]')
                     FROM production_batches b
                     WHERE b.variant_id = v.id AND b.status = 'SCHEDULED' AND b.ready_date >= (now() AT TIME ZONE 'UTC')::date))
    ) ORDER BY v.sku), '[]')
    FROM variants v
    LEFT JOIN stock_levels st ON st.variant_id = v.id
    CROSS JOIN LATERAL (SELECT COALESCE(st.on_hand, 0) - COALESCE(st.reserved, 0) AS available) a
    WHERE v.product_id = p.id)
) ORDER BY p.name, p.id), '[]'))))::text AS body
FROM page p`;
