import type { EntityManager } from "typeorm";

// The demo's events: what its last 30 days of history would have written, so that `events`,
// the playground and a webhook endpoint registered on the demo have something to show. The demo
// history is loaded directly, not through the services, so its events are derived here from
// the rows the history left: order and brief status changes, tracking events and feedback.

/** A global id in SQL, as toGlobalId (src/graphql/node.ts) writes it (facet_global_id, migrations/1795002400000). */
const globalId = (type: string, column: string) => `facet_global_id('${type}', ${column})`;

const WINDOW = `now() - interval '30 days'`;

export async function seedEvents(db: EntityManager): Promise<number> {
  const statements = [
    // Orders: placed, and each move (a confirmation or cancellation under its own type too).
    `INSERT INTO events (type, distributor_id, subject_id, occurred_at, data)
     SELECT t.type, c.distributor_id, c.order_id, c.changed_at,
            CASE WHEN c.from_status IS NULL
              THEN jsonb_build_object('orderId', ${globalId("Order", "c.order_id")}, 'number', o.number, 'status', c.to_status, 'designBriefId', NULL)
              ELSE jsonb_build_object('orderId', ${globalId("Order", "c.order_id")}, 'number', o.number, 'from', c.from_status, 'to', c.to_status) END
     FROM order_status_changes c JOIN orders o ON o.id = c.order_id
     CROSS JOIN LATERAL (VALUES
       (CASE WHEN c.from_status IS NULL THEN 'order.placed' ELSE 'order.status_changed' END),
       (CASE c.to_status WHEN 'CONFIRMED' THEN 'order.confirmed' WHEN 'CANCELLED' THEN 'order.cancelled' END)) t(type)
     WHERE c.changed_at > ${WINDOW} AND t.type IS NOT NULL`,
    // Shipments: each tracking event, and the delivery.
    `INSERT INTO events (type, distributor_id, subject_id, occurred_at, data)
     SELECT t.type, e.distributor_id, e.shipment_id, e.occurred_at,
            jsonb_build_object('shipmentId', ${globalId("Shipment", "s.id")}, 'orderId', ${globalId("Order", "s.order_id")})
              || CASE WHEN t.type = 'shipment.delivered' THEN jsonb_build_object('deliveredAt', e.occurred_at)
                 ELSE jsonb_build_object('trackingEventId', e.id, 'status', e.status, 'occurredAt', e.occurred_at, 'location', e.location, 'shipmentStatus', e.status) END
     FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id
     CROSS JOIN LATERAL (VALUES ('shipment.tracking_event_recorded'), (CASE WHEN e.status = 'DELIVERED' THEN 'shipment.delivered' END)) t(type)
     WHERE e.occurred_at > ${WINDOW} AND t.type IS NOT NULL`,
    // Design briefs: each move.
    `INSERT INTO events (type, distributor_id, subject_id, occurred_at, data)
     SELECT 'design_brief.status_changed', c.distributor_id, c.brief_id, c.changed_at,
            jsonb_build_object('designBriefId', ${globalId("DesignBrief", "c.brief_id")}, 'reference', b.reference, 'from', c.from_status, 'to', c.to_status)
     FROM design_brief_status_changes c JOIN design_briefs b ON b.id = c.brief_id
     WHERE c.changed_at > ${WINDOW}`,
    // Feedback: reported, and answered.
    `INSERT INTO events (type, distributor_id, subject_id, occurred_at, data)
     SELECT t.type, f.distributor_id, f.shipment_id, t.at,
            jsonb_build_object('feedbackId', ${globalId("ShipmentFeedback", "f.id")}, 'shipmentId', ${globalId("Shipment", "f.shipment_id")})
              || CASE WHEN t.type = 'feedback.submitted' THEN jsonb_build_object('rating', f.rating, 'condition', f.condition, 'issues', to_jsonb(f.issues))
                 ELSE jsonb_build_object('respondedBy', f.responded_by_name) END
     FROM shipment_feedback f
     CROSS JOIN LATERAL (VALUES ('feedback.submitted', f.created_at), ('feedback.answered', f.responded_at)) t(type, at)
     WHERE t.at > ${WINDOW}`,
  ];
  let written = 0;
  for (const statement of statements) {
    written += ((await db.query(`${statement} RETURNING 1`)) as unknown[]).length;
  }
  return written;
}
