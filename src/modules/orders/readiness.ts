import type { RequestContext } from "../../core/context";
import { exporterToday } from "../calendar";
import { tenantQuery } from "../../db/tenancy";
import { mutate } from "../../graphql/mutation";
import { idOfType } from "../../graphql/node";
import { Rejected, UserErrorCode, UserErrors, userError, type UserError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import type { MarkOrderLineReadyInput, MarkOrderLineReadyPayload } from "./orders.inputs";
import { Order, OrderLine } from "./order.entity";
import { canShip, OrderStatus } from "./order-state";

// What of an order may ship now (docs/domain.md, "Partial shipments"). An order ships what is
// ready, a shipment at a time, so readiness is counted in units of each line, not for the order.

/**
 * Whether staff packed the whole order: it is PACKED, or was before part of it shipped. Packing
 * is done for every line at once, so then every unit is ready.
 */
async function wasPacked(tx: RequestContext, order: Pick<Order, "id" | "status">): Promise<boolean> {
  if (order.status === OrderStatus.PACKED) return true;
  if (order.status !== OrderStatus.PARTIALLY_SHIPPED) return false;
  const rows = (await tx.db.query(`SELECT 1 FROM order_status_changes WHERE order_id = $1 AND to_status = $2 LIMIT 1`, [order.id, OrderStatus.PACKED])) as unknown[];
  return rows.length > 0;
}

/**
 * How many units of each line (by line id) may be in a shipment by now, shipped or not. None
 * before the order is confirmed; every unit once it was packed. Otherwise the units from stock,
 * which the order reserved when it was placed, and of the units made to order the more of: those
 * staff recorded as made (markOrderLineReady), and those of production batches that are completed
 * or whose ready date has come (on the exporter's calendar). A new run has no batch to say when it is done: only staff do.
 */
export async function readyUnits(tx: RequestContext, order: Pick<Order, "id" | "status">, lines: readonly OrderLine[]): Promise<Map<string, number>> {
  if (!canShip(order.status)) return new Map(lines.map((l) => [l.id, 0]));
  if (await wasPacked(tx, order)) return new Map(lines.map((l) => [l.id, l.quantity]));
  const batchIds = [...new Set(lines.flatMap((l) => l.batchAllocations.map((a) => a.batchId)))];
  const done = new Set(
    batchIds.length === 0
      ? []
      : ((await tx.db.query(
          `SELECT id FROM production_batches
           WHERE id = ANY($1) AND (status = 'COMPLETED' OR (status = 'SCHEDULED' AND ready_date <= $2))`,
          [batchIds, exporterToday(tx)],
        )) as { id: string }[]).map((b) => b.id),
  );
  return new Map(
    lines.map((line) => {
      const fromBatches = line.batchAllocations.filter((a) => done.has(a.batchId)).reduce((n, a) => n + a.quantity, 0);
      const made = Math.min(line.quantity - line.fromStock, Math.max(line.madeToOrderReady, fromBatches));
      return [line.id, line.fromStock + made];
    }),
  );
}

/** When the line's units not yet ready are expected: its ship date as quoted at placement. */
export function expectedText(line: Pick<OrderLine, "estimatedShipDate">, today: string): string {
  return `expected to ship on ${line.estimatedShipDate}${line.estimatedShipDate < today ? ", now overdue" : ""}`;
}

// ---- marking made-to-order units ready ---------------------------------------------------------

export async function markOrderLineReady(ctx: RequestContext, input: MarkOrderLineReadyInput): Promise<MarkOrderLineReadyPayload> {
  const errors = new UserErrors();
  const quantity = validate.integer(errors, ["input", "quantity"], input.quantity, { min: 0, max: 100_000, label: "Quantity" });
  if (errors.any || quantity === undefined) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const id = idOfType(input.orderId, "Order");
    // The order is locked as createShipment locks it: a shipment never reads a mark half made.
    const order = id ? await tenantQuery(tx, Order, "o").andWhere("o.id = :id", { id }).setLock("pessimistic_write").getOne() : null;
    if (!order) throw new Rejected(userError(["input", "orderId"], "No such order", UserErrorCode.NOT_FOUND));
    if (!canShip(order.status)) {
      const message =
        order.status === OrderStatus.PENDING
          ? "Nothing of a PENDING order is made yet: confirm it first"
          : `An order that is ${order.status} has nothing left to make ready`;
      throw new Rejected(userError(["input", "orderId"], message, UserErrorCode.INVALID_STATE));
    }
    const line = await tx.db.findOneBy(OrderLine, { orderId: order.id, lineNumber: input.lineNumber });
    if (!line) throw new Rejected(userError(["input", "lineNumber"], `The order has no line ${input.lineNumber}`, UserErrorCode.NOT_FOUND));
    const made = line.quantity - line.fromStock;
    if (made === 0) {
      throw new Rejected(userError(["input", "lineNumber"], `Line ${line.lineNumber} is taken wholly from stock: none of it is made to order`, UserErrorCode.INVALID_STATE));
    }
    if (quantity > made) {
      throw new Rejected(userError(["input", "quantity"], `Line ${line.lineNumber} has ${made} unit(s) made to order: mark 0 to ${made}`, UserErrorCode.OUT_OF_RANGE));
    }
    // Units are alike: those in shipments are counted from stock first, and the rest were made.
    const [{ shipped }] = (await tx.db.query(`SELECT COALESCE(sum(quantity), 0)::int AS shipped FROM shipment_lines WHERE order_line_id = $1`, [line.id])) as {
      shipped: number;
    }[];
    const madeShipped = Math.max(0, shipped - line.fromStock);
    if (quantity < madeShipped) {
      throw new Rejected(
        userError(["input", "quantity"], `${madeShipped} made-to-order unit(s) of line ${line.lineNumber} are already in a shipment: mark at least ${madeShipped}`, UserErrorCode.OUT_OF_RANGE),
      );
    }
    if (quantity !== line.madeToOrderReady) {
      await tx.db.update(OrderLine, { id: line.id }, { madeToOrderReady: quantity });
      // What the buyer sees of the order changed: a sync by updatedSince picks it up.
      await tx.db.update(Order, { id: order.id }, { updatedAt: () => "now()" });
    }
    return { order: await tx.db.findOneByOrFail(Order, { id: order.id }), userErrors: [] as UserError[] };
  });
}
