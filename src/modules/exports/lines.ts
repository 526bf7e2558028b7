import { CURRENCIES } from "../../core/iso-codes";
import { BulkExportKind } from "./bulk-export.entity";

// What one line of a bulk export holds, per kind: one statement that writes each object as JSON
// text (json_build_object, json_agg of its children), so that the rows stream from PostgreSQL to
// the file without being parsed or built in JavaScript. The shapes are a contract, documented in
// docs/bulk-export.md: fields are added, never renamed or removed.
//
// Every statement takes $1 the distributor, $2 updatedSince (null: everything) and $3 the sync
// horizon, and walks its table in update order (updated_at, id) on an index that starts with the
// distributor. It runs under the distributor's row-level security as well (see export-job.ts), so
// the explicit filter is there for the index, not for safety.

// Money as the API writes it: the amount with exactly the currency's decimal places.
const DIGITS_NOT_TWO = Object.entries(CURRENCIES).filter(([, c]) => c.minorUnits !== 2);
const digitsOf = (currency: string) =>
  `CASE ${currency} ${DIGITS_NOT_TWO.map(([code, c]) => `WHEN '${code}' THEN ${c.minorUnits}`).join(" ")} ELSE 2 END`;
const money = (amount: string, currency: string) =>
  `CASE WHEN ${amount} IS NULL THEN NULL ELSE json_build_object('amount', round(${amount}, ${digitsOf(currency)})::text, 'currency', ${currency}) END`;
const time = (column: string) => `facet_iso_time(${column})`;
const gid = (type: string, column: string) => `facet_global_id('${type}', ${column})`;

const ORDERS = `
SELECT json_build_object(
  'id', ${gid("Order", "o.id")},
  'number', o.number,
  'status', o.status,
  'poReference', o.buyer_reference,
  'currency', o.currency,
  'incoterm', o.incoterm,
  'requestedShipDate', o.requested_ship_date,
  'estimatedShipDate', o.estimated_ship_date,
  'total', ${money("o.total", "o.currency")},
  'designBriefId', ${gid("DesignBrief", "o.design_brief_id")},
  'placedAt', ${time("o.placed_at")},
  'updatedAt', ${time("o.updated_at")},
  'lines', COALESCE((
    SELECT json_agg(json_build_object(
      'lineNumber', l.line_number,
      'variantId', ${gid("Variant", "l.variant_id")},
      'sku', l.sku,
      'description', l.description,
      'quantity', l.quantity,
      'unitPrice', ${money("l.unit_price", "o.currency")},
      'lineTotal', ${money("l.line_total", "o.currency")},
      'fromStock', l.from_stock,
      'madeToOrderReady', l.made_to_order_ready,
      'estimatedShipDate', l.estimated_ship_date,
      'customization', l.customization,
      'composition', l.composition) ORDER BY l.line_number)
    FROM order_lines l WHERE l.order_id = o.id), '[]'),
  'statusHistory', COALESCE((
    SELECT json_agg(json_build_object(
      'from', c.from_status,
      'to', c.to_status,
      'at', ${time("c.changed_at")},
      'by', c.changed_by_name,
      'note', c.note) ORDER BY c.seq)
    FROM order_status_changes c WHERE c.order_id = o.id), '[]')
)::text
FROM orders o
WHERE o.distributor_id = $1 AND ($2::timestamptz IS NULL OR o.updated_at >= $2::timestamptz) AND o.updated_at < $3::timestamptz
ORDER BY o.updated_at, o.id`;

const SHIPMENTS = `
SELECT json_build_object(
  'id', ${gid("Shipment", "s.id")},
  'orderId', ${gid("Order", "s.order_id")},
  'orderNumber', (SELECT o.number FROM orders o WHERE o.id = s.order_id),
  'carrier', s.carrier,
  'service', s.service,
  'status', s.status,
  'awbNumber', s.awb_number,
  'awbType', s.awb_type,
  'masterAwbNumber', s.master_awb_number,
  'trackingNumber', s.tracking_number,
  'trackingUrl', s.tracking_url,
  'dispatchCountry', s.dispatch_country,
  'namedPlace', s.named_place,
  'packages', s.packages,
  'shippedAt', ${time("s.shipped_at")},
  'estimatedDeliveryAt', ${time("s.estimated_delivery_at")},
  'promisedDeliveryAt', ${time("s.promised_delivery_at")},
  'deliveredAt', ${time("s.delivered_at")},
  'createdAt', ${time("s.created_at")},
  'updatedAt', ${time("s.updated_at")},
  'lines', COALESCE((
    SELECT json_agg(json_build_object('orderLineNumber', l.line_number, 'sku', l.sku, 'quantity', sl.quantity) ORDER BY l.line_number)
    FROM shipment_lines sl JOIN order_lines l ON l.id = sl.order_line_id WHERE sl.shipment_id = s.id), '[]'),
  'trackingEvents', COALESCE((
    SELECT json_agg(json_build_object(
      'occurredAt', ${time("e.occurred_at")},
      'status', e.status,
      'location', e.location,
      'description', e.description,
      'carrierCode', e.carrier_code,
      'estimatedDeliveryAt', ${time("e.estimated_delivery_at")}) ORDER BY e.occurred_at, e.seq)
    FROM tracking_events e WHERE e.shipment_id = s.id), '[]')
)::text
FROM shipments s
WHERE s.distributor_id = $1 AND ($2::timestamptz IS NULL OR s.updated_at >= $2::timestamptz) AND s.updated_at < $3::timestamptz
ORDER BY s.updated_at, s.id`;

// The catalog is shared; what is the distributor's in it is its price list. A style counts as
// changed when it, one of its variants (which touch the style) or one of the distributor's prices
// of it changed. Availability is as of the export: a change of stock alone does not make a style
// changed (the variant.availability_changed event tells of those).
const CATALOG = `
SELECT json_build_object(
  'id', ${gid("Product", "p.id")},
  'styleCode', p.style_code,
  'name', p.name,
  'description', p.description,
  'category', p.category,
  'collection', p.collection,
  'metal', p.metal,
  'fineness', p.fineness,
  'plating', p.plating,
  'platingThicknessMicrons', p.plating_thickness_microns::text,
  'platingKarat', p.plating_karat,
  'stones', p.stones,
  'hsCode', p.hs_code,
  'countryOfOrigin', p.country_of_origin,
  'standardLeadTimeDays', p.standard_lead_time_days,
  'minimumOrderQuantity', p.minimum_order_quantity,
  'discontinued', p.discontinued,
  'updatedAt', ${time("p.changed_at")},
  'variants', COALESCE((
    SELECT json_agg(json_build_object(
      'id', ${gid("Variant", "v.id")},
      'sku', v.sku,
      'gtin', v.gtin,
      'ringSizeMm', v.ring_size_mm::text,
      'chainLengthMm', v.chain_length_mm,
      'metalWeightGrams', v.metal_weight_grams::text,
      'discontinued', v.discontinued,
      'price', ${money("vp.amount", "vp.currency")},
      'availability', json_build_object(
        'onHand', COALESCE(st.on_hand, 0),
        'reserved', COALESCE(st.reserved, 0),
        'available', greatest(COALESCE(st.on_hand, 0) - COALESCE(st.reserved, 0), 0),
        'status', CASE
          WHEN v.discontinued OR p.discontinued THEN 'DISCONTINUED'
          WHEN COALESCE(st.on_hand, 0) - COALESCE(st.reserved, 0) > COALESCE(st.low_stock_threshold, 0) THEN 'IN_STOCK'
          WHEN COALESCE(st.on_hand, 0) - COALESCE(st.reserved, 0) > 0 THEN 'LOW_STOCK'
          ELSE 'MADE_TO_ORDER' END)) ORDER BY v.sku)
    FROM variants v
    LEFT JOIN variant_prices vp ON vp.variant_id = v.id AND vp.distributor_id = $1
    LEFT JOIN stock_levels st ON st.variant_id = v.id
    WHERE v.product_id = p.id), '[]')
)::text
FROM (
  SELECT p.*, greatest(p.updated_at, (
    SELECT max(vp.updated_at) FROM variant_prices vp JOIN variants v ON v.id = vp.variant_id
    WHERE v.product_id = p.id AND vp.distributor_id = $1)) AS changed_at
  FROM products p
) p
WHERE ($2::timestamptz IS NULL OR p.changed_at >= $2::timestamptz) AND p.changed_at < $3::timestamptz
ORDER BY p.changed_at, p.id`;

/** The statement that writes one JSON line per object of the kind (parameters: distributor, updatedSince, horizon). */
export const LINES: Record<BulkExportKind, string> = {
  [BulkExportKind.ORDERS]: ORDERS,
  [BulkExportKind.SHIPMENTS]: SHIPMENTS,
  [BulkExportKind.CATALOG]: CATALOG,
};
