import type { EntityManager } from "typeorm";
import { sum, multiply } from "../graphql/money";
import { Distributor, User } from "../modules/accounts";
import { Product, Variant, VariantPrice, compositionOfVariant, displayName } from "../modules/catalog";
import { Order, OrderLine, OrderStatus, OrderStatusChange } from "../modules/orders";

// Order history for each demo distributor over the past year: one order per status walk, older
// orders further along. Open orders hold real stock reservations, so availability stays true.
// One order has shipped what was ready (docs/domain.md, "Partial shipments"): confirmed, its
// lines from stock handed to the carrier, its made-to-order line not made yet.

const WALK = [OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.QUALITY_CHECK, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED];
// Shipped from confirmation: what was in stock left before anything was made.
const PARTLY = [OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_SHIPPED];
const OPEN = new Set([OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.QUALITY_CHECK, OrderStatus.PACKED]);

// Final status and age in days of each seeded order, newest first; then the order partly shipped
// (last, so that the others keep their lines).
const HISTORY: [OrderStatus, number][] = [
  [OrderStatus.PENDING, 1],
  [OrderStatus.CONFIRMED, 4],
  [OrderStatus.CANCELLED, 9],
  [OrderStatus.IN_PRODUCTION, 15],
  [OrderStatus.QUALITY_CHECK, 24],
  [OrderStatus.PACKED, 33],
  [OrderStatus.SHIPPED, 47],
  [OrderStatus.DELIVERED, 80],
  [OrderStatus.DELIVERED, 150],
  [OrderStatus.DELIVERED, 230],
  [OrderStatus.DELIVERED, 340],
  [OrderStatus.PARTIALLY_SHIPPED, 6],
];

/** Days ago the demo goods still in transit were handed to the carrier (see seedShipments). */
export const IN_TRANSIT_SINCE_DAYS = 3;

const day = (daysAgo: number, hours = 0) => new Date(Date.now() - daysAgo * 86_400_000 + hours * 3_600_000);
const dateOf = (d: Date) => d.toISOString().slice(0, 10);

export async function seedOrders(db: EntityManager): Promise<number> {
  const manager = await db.findOneByOrFail(User, { email: "manager@facet.example" });
  let count = 0;
  for (const distributor of await db.find(Distributor, { order: { code: "ASC" } })) {
    const buyer = await db.findOneBy(User, { distributorId: distributor.id, role: "BUYER" as User["role"] });
    if (!buyer) continue;
    const priced = await db
      .createQueryBuilder(VariantPrice, "pr")
      .where("pr.distributorId = :id", { id: distributor.id })
      .orderBy("pr.variantId")
      .getMany();
    for (const [n, [finalStatus, age]] of HISTORY.entries()) {
      count++;
      const placedAt = day(age);
      const picks = [0, 1, 2].map((k) => priced[(n * 7 + k * 13 + distributor.code.length) % priced.length]).slice(0, 1 + (n % 3));
      const partly = finalStatus === OrderStatus.PARTIALLY_SHIPPED;
      const lines = [];
      for (const [i, price] of picks.entries()) {
        const variant = await db.findOneByOrFail(Variant, { id: price.variantId });
        const product = await db.findOneByOrFail(Product, { id: variant.productId });
        // The standard piece, as placeOrder would record it.
        const composition = compositionOfVariant(product, variant, {})!;
        const quantity = Math.max(product.minimumOrderQuantity, 2 + ((n + i) % 4) * 3);
        let fromStock: number;
        if (OPEN.has(finalStatus)) {
          // Reserve what the shelf still has; the rest is made to order.
          const [stock] = (await db.query(`SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1`, [variant.id])) as { on_hand: number; reserved: number }[];
          fromStock = Math.max(0, Math.min(quantity, stock.on_hand - stock.reserved));
          if (fromStock > 0) await db.query(`UPDATE stock_levels SET reserved = reserved + $2 WHERE variant_id = $1`, [variant.id, fromStock]);
        } else if (partly) {
          // The last line is made to order (a discontinued piece is not made again: from stock).
          fromStock = i === picks.length - 1 && !variant.discontinued && !product.discontinued ? 0 : quantity;
        } else {
          fromStock = (n + i) % 2 === 0 ? quantity : Math.floor(quantity / 2);
        }
        lines.push({
          lineNumber: i + 1,
          variantId: variant.id,
          sku: variant.sku,
          description: displayName(product.name, composition),
          quantity,
          unitPrice: price.amount,
          lineTotal: multiply(price.amount, quantity),
          fromStock,
          batchAllocations: [],
          // Partly shipped: stock left two days after placement, the run is due in twelve days.
          estimatedShipDate: partly ? dateOf(day(fromStock === quantity ? age - 2 : -12)) : dateOf(day(age - 20)),
          customization: {},
          composition,
        });
      }
      const steps =
        finalStatus === OrderStatus.CANCELLED ? [OrderStatus.PENDING, OrderStatus.CANCELLED] : partly ? PARTLY : WALK.slice(0, WALK.indexOf(finalStatus) + 1);
      // The partial shipment's change came when its goods were handed over, as the API records it.
      const changedAt = (s: number) => (partly && steps[s] === OrderStatus.PARTIALLY_SHIPPED ? day(IN_TRANSIT_SINCE_DAYS) : day(age, s * 30));
      const lastChange = changedAt(steps.length - 1);
      const units = (ls: { quantity: number; fromStock: number }[], of: "quantity" | "fromStock") => ls.reduce((total, l) => total + l[of], 0);
      const [{ seq }] = (await db.query(`SELECT nextval('order_number_seq') AS seq`)) as { seq: string }[];
      const { identifiers } = await db.insert(Order, {
        number: `EXP-${placedAt.getUTCFullYear()}-${seq.padStart(6, "0")}`,
        distributorId: distributor.id,
        placedByUserId: buyer.id,
        buyerReference: `PO-${distributor.code.slice(0, 3).toUpperCase()}-${2400 + count}`,
        currency: distributor.currency,
        incoterm: distributor.defaultIncoterm,
        requestedShipDate: null,
        estimatedShipDate: lines.reduce((d, l) => (l.estimatedShipDate > d ? l.estimatedShipDate : d), dateOf(placedAt)),
        status: finalStatus,
        total: sum(lines.map((l) => l.lineTotal)),
        lineCount: lines.length,
        placedAt,
        updatedAt: lastChange,
      });
      const orderId = identifiers[0].id as string;
      await db.insert(OrderLine, lines.map((l) => ({ ...l, orderId })));
      for (const [s, status] of steps.entries()) {
        const byBuyer = s === 0 || status === OrderStatus.CANCELLED;
        await db.insert(OrderStatusChange, {
          orderId,
          fromStatus: s === 0 ? null : steps[s - 1],
          toStatus: status,
          changedByUserId: byBuyer ? buyer.id : manager.id,
          changedByName: byBuyer ? buyer.name : manager.name,
          note:
            status === OrderStatus.CANCELLED
              ? "Duplicate of an earlier PO"
              : status === OrderStatus.PARTIALLY_SHIPPED
                ? `shipped ${units(lines, "fromStock")} of ${units(lines, "quantity")} units; the rest ships when ready`
                : null,
          changedAt: changedAt(s),
        });
      }
    }
  }
  return count;
}
