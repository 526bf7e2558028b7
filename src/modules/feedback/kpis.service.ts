import { UserRole } from "../../core/access";
import { isStaff, type RequestContext } from "../../core/context";
import { BadUserInputError, ForbiddenError } from "../../graphql/errors";
import { money } from "../../graphql/money";
import { idOfType } from "../../graphql/node";
import type { CurrencyCode } from "../../graphql/scalars";
import { convertSum, ratesTo } from "../pricing";
import { FeedbackIssue } from "./feedback.entity";
import type { ExportKpis } from "./feedback.inputs";

const MAX_RANGE_DAYS = 731;
const LAST_DAY = "9999-12-31";

// Every figure in one statement. Days are UTC days: the range is [from 00:00Z, to + 1 day 00:00Z).
// Each figure counts what happened in the range: shipments delivered in it (on-time rate,
// documentation-error share), shipments handed over in it (lead time, value), orders whose last
// line was handed over in it (promise kept, delay: the promise is the order's estimated ship
// date, the date its last line was to ship) and feedback submitted in it (rating, issues).
// Ratios come back with 4 decimals and averages with 2, rounded in SQL, as exact decimal
// strings; an empty range gives zeros of the same scale.
const KPI_SQL = `
WITH
  delivered AS (
    SELECT s.id, s.delivered_at, s.promised_delivery_at FROM shipments s
    WHERE s.delivered_at >= $1 AND s.delivered_at < $2 AND ($3::uuid IS NULL OR s.distributor_id = $3)),
  shipped AS (
    SELECT s.id, s.order_id, s.shipped_at, s.currency, o.placed_at,
      -- The units shipped at the order's unit price: a shipment may carry part of a line.
      (SELECT COALESCE(sum(ol.unit_price * sl.quantity), 0) FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id
        WHERE sl.shipment_id = s.id) AS value
    FROM shipments s JOIN orders o ON o.id = s.order_id
    WHERE s.shipped_at >= $1 AND s.shipped_at < $2 AND ($3::uuid IS NULL OR s.distributor_id = $3)),
  orders_shipped AS (
    SELECT o.id, o.estimated_ship_date, (max(s.shipped_at) AT TIME ZONE 'UTC')::date AS shipped_on
    FROM orders o
      JOIN shipments s ON s.order_id = o.id AND s.shipped_at IS NOT NULL
      JOIN shipment_lines sl ON sl.shipment_id = s.id
    -- An order whose last line left in the range has a shipment that left in it.
    WHERE o.id IN (SELECT order_id FROM shipped)
    GROUP BY o.id
    -- Shipped once every unit of every line has been handed over: a line may travel in parts, and
    -- a PARTIALLY_SHIPPED order counts only once its last unit has left.
    HAVING sum(sl.quantity) = (SELECT sum(ol.quantity) FROM order_lines ol WHERE ol.order_id = o.id)
      AND max(s.shipped_at) >= $1 AND max(s.shipped_at) < $2),
  fb AS (
    SELECT f.rating, f.issues FROM shipment_feedback f
    WHERE f.created_at >= $1 AND f.created_at < $2 AND ($3::uuid IS NULL OR f.distributor_id = $3))
SELECT
  (SELECT count(*) FROM delivered)::int AS shipments_delivered,
  (SELECT round(COALESCE(count(*) FILTER (WHERE delivered_at <= promised_delivery_at)::numeric
                         / NULLIF(count(*) FILTER (WHERE promised_delivery_at IS NOT NULL), 0), 0), 4) FROM delivered) AS on_time_rate,
  (SELECT round(COALESCE(avg(extract(epoch FROM shipped_at - placed_at) / 86400), 0)::numeric, 2) FROM shipped) AS order_to_ship_days,
  (SELECT round(COALESCE(count(*) FILTER (WHERE shipped_on <= estimated_ship_date)::numeric / NULLIF(count(*), 0), 0), 4) FROM orders_shipped) AS promise_kept_rate,
  (SELECT round(COALESCE(avg(shipped_on - estimated_ship_date), 0)::numeric, 2) FROM orders_shipped) AS ship_delay_days,
  (SELECT round(COALESCE(avg(rating), 0)::numeric, 2) FROM fb) AS average_rating,
  (SELECT count(*) FROM fb)::int AS feedback_count,
  COALESCE((SELECT json_object_agg(issue, n) FROM (SELECT issue, count(*)::int AS n FROM fb, unnest(fb.issues) AS issue GROUP BY issue) i), '{}'::json) AS issue_counts,
  (SELECT round(COALESCE(count(*) FILTER (WHERE EXISTS (
      SELECT 1 FROM shipment_feedback f WHERE f.shipment_id = d.id AND 'DOCUMENTATION_ERROR' = ANY(f.issues)))::numeric
    / NULLIF(count(*), 0), 0), 4) FROM delivered d) AS documentation_error_share,
  COALESCE((SELECT json_agg(json_build_object('currency', currency, 'amount', amount) ORDER BY currency)
            FROM (SELECT currency, sum(value)::text AS amount FROM shipped GROUP BY currency) v), '[]'::json) AS shipped_value`;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Whose figures: any distributor's (or all) for staff; a distributor admin only its own. */
function scope(ctx: RequestContext, distributorGlobalId: string | null | undefined): string | null {
  const p = ctx.principal!;
  const asked = distributorGlobalId ? idOfType(distributorGlobalId, "Distributor") : null;
  if (distributorGlobalId && !asked) throw new BadUserInputError("distributorId", "`distributorId` is not a distributor id");
  if (isStaff(p)) return asked;
  if (p.kind === "user" && p.role === UserRole.DISTRIBUTOR_ADMIN && (!asked || asked === p.distributorId)) return p.distributorId;
  throw new ForbiddenError("A distributor admin may see only its own company's figures");
}

export async function exportKpis(ctx: RequestContext, from: string, to: string, distributorGlobalId?: string | null): Promise<ExportKpis> {
  if (to < from) throw new BadUserInputError("to", "`to` must not be before `from`");
  // The range ends at the start of the day after `to`, which must be a day PostgreSQL holds.
  if (to >= LAST_DAY) throw new BadUserInputError("to", `\`to\` must be before ${LAST_DAY}`);
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_RANGE_DAYS) throw new BadUserInputError("to", `The range may span at most ${MAX_RANGE_DAYS} days`);
  const distributorId = scope(ctx, distributorGlobalId);
  const [row] = (await ctx.db.query(KPI_SQL, [`${from}T00:00:00Z`, `${nextDay(to)}T00:00:00Z`, distributorId])) as Record<string, unknown>[];
  const issueCounts = row.issue_counts as Record<string, number>;
  const shipped = row.shipped_value as { currency: CurrencyCode; amount: string }[];
  // Money in the base currency, through the latest rates recorded by the end of the range.
  const base = ctx.config.baseCurrency;
  const lastMoment = new Date(Date.parse(`${nextDay(to)}T00:00:00Z`) - 1);
  const rates = await ratesTo(ctx, shipped.map((v) => v.currency), base, lastMoment);
  const missingRates = shipped.map((v) => v.currency).filter((c) => c !== base && !rates.has(c));
  const inBase = missingRates.length ? null : convertSum(shipped.map((v) => ({ amount: v.amount, rate: v.currency === base ? "1" : rates.get(v.currency)!.rate })), base);
  return {
    from,
    to,
    shipmentsDelivered: row.shipments_delivered as number,
    onTimeDeliveryRate: String(row.on_time_rate),
    averageOrderToShipDays: String(row.order_to_ship_days),
    leadTimePromiseKeptRate: String(row.promise_kept_rate),
    averageShipDelayDays: String(row.ship_delay_days),
    averageRating: String(row.average_rating),
    feedbackCount: row.feedback_count as number,
    issueCounts: Object.values(FeedbackIssue).map((issue) => ({ issue, count: issueCounts[issue] ?? 0 })),
    documentationErrorShare: String(row.documentation_error_share),
    shippedValue: shipped.map((v) => money(v.amount, v.currency)),
    baseCurrency: base,
    shippedValueInBaseCurrency: inBase === null ? null : money(inBase, base),
    ratesUsed: [...rates.values()],
    missingRates,
  };
}
