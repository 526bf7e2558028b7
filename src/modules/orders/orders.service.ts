import { createHash } from "node:crypto";
import { oneOf } from "../../db/rows";
import { Brackets, In, type SelectQueryBuilder } from "typeorm";
import { paginate, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { loader } from "../../db/loaders";
import type { RequestContext } from "../../core/context";
import { expensiveRead } from "../../graphql/budget";
import { BadUserInputError } from "../../graphql/errors";
import { fitsStorage, money, multiply, sum, type Money } from "../../graphql/money";
import { idOfType, toGlobalId } from "../../graphql/node";
import type { Projection } from "../../db/projection";
import type { CurrencyCode, Incoterm } from "../../graphql/scalars";
import { Rejected, UserErrorCode, UserErrors, userError, type UserError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { likePattern, readSyncHorizon } from "../../db/sql";
import { mutate } from "../../graphql/mutation";
import { lookUp } from "../../db/search";
import { sql } from "../../db/statements";
import { tenantQuery } from "../../db/tenancy";
import { actorOf, Distributor, type Actor } from "../accounts";
import {
  Product,
  Variant,
  VariantPrice,
  availabilityChanged,
  breaksReader,
  compositionOfVariant,
  displayName,
  quantityBreakView,
  quoteLeadTime,
  reservableFromStock,
  unitPriceWithBreaks,
  type CompositionRow,
  type PriceBreak,
} from "../catalog";
import { addBusinessDays, calendarFromToday, exporterToday } from "../calendar";
import { recordEvents, type NewEvent } from "../events";
import type {
  AdvanceOrderStatusInput,
  AdvanceOrderStatusPayload,
  CancelOrderInput,
  CancelOrderPayload,
  ConfirmOrderInput,
  ConfirmOrderPayload,
  LineCustomizationInput,
  OrderFilter,
  OrderPreview,
  PlaceOrderInput,
  PlaceOrderPayload,
  ReorderInput,
  ReorderPayload,
} from "./orders.inputs";
import { OrderOrderField } from "./orders.inputs";
import { historyByOrder, linesByOrder } from "./orders.loaders";
import { OrderLineOf, type OrderLineView, type OrderPreviewLine, type OrderStatusChangeView } from "./orders.types";
import { ANY_MODE_EQUIVALENT, SEA_ONLY } from "./incoterms";
import { IdempotencyKey, Order, OrderLine, OrderStatusChange, type BatchAllocation, type LineCustomization } from "./order.entity";
import { canAdvance, canCancel, OrderStatus } from "./order-state";

export const MAX_LINES = 500;
export const MAX_LINE_QUANTITY = 100_000;
const MAX_SEARCH_LENGTH = 100;


// ---- reads -------------------------------------------------------------------------------

const ORDERINGS: Record<OrderOrderField, Ordering<Order>> = {
  [OrderOrderField.NEWEST]: { name: "newest", keys: [{ sql: "o.placedAt", direction: "DESC", value: (o) => o.placedAt }], id: "o.id" },
  [OrderOrderField.UPDATED]: { name: "updated", keys: [{ sql: "o.updatedAt", direction: "ASC", value: (o) => o.updatedAt }], id: "o.id" },
};


export async function listOrders(
  ctx: RequestContext,
  args: ConnectionArgs,
  filter: OrderFilter | null | undefined,
  orderBy: OrderOrderField | null | undefined,
  projection: Projection | null = null,
): Promise<ConnectionResult<Order>> {
  const f = filter ?? {};
  const order = orderBy ?? (f.updatedSince ? OrderOrderField.UPDATED : OrderOrderField.NEWEST);
  const search = f.search?.trim();
  if (search && search.length > MAX_SEARCH_LENGTH) throw new BadUserInputError("filter", `filter.search may be at most ${MAX_SEARCH_LENGTH} characters`);
  const qb = tenantQuery(ctx, Order, "o");
  if (f.status?.length) qb.andWhere("o.status = ANY(:statuses)", { statuses: f.status });
  if (f.placedAfter) qb.andWhere("o.placedAt >= :placedAfter", { placedAfter: f.placedAfter });
  if (f.placedBefore) qb.andWhere("o.placedAt < :placedBefore", { placedBefore: f.placedBefore });
  if (f.updatedSince) qb.andWhere("o.updatedAt >= :updatedSince", { updatedSince: f.updatedSince });
  const read = async () => {
    if (search) await matchOrders(ctx, qb, search);
    // In update order a page holds only changes that are final: none can still commit before it.
    if (order === OrderOrderField.UPDATED) qb.andWhere("o.updatedAt < CAST(:horizon AS timestamptz)", { horizon: await readSyncHorizon(ctx.db) });
    return paginate(ctx.db, Order, qb, args, ORDERINGS[order], projection);
  };
  return search ? expensiveRead(ctx, read) : read();
}

/**
 * Keeps the orders whose number, buyer reference or a line's SKU contains `search`, ignoring case:
 * the ids the trigram indexes give (see db/search.ts), or else a filter on each order the list
 * walks. For text most orders hold, each order's lines are looked up by its key as the walk comes
 * to it (OFFSET 0 keeps PostgreSQL from reading every line of every distributor first, to hash
 * them). Text the indexes cannot serve may match nothing, and the walk then reads every order:
 * PostgreSQL is left to read the lines once, hashed, rather than once per order.
 */
async function matchOrders(ctx: RequestContext, qb: SelectQueryBuilder<Order>, search: string): Promise<void> {
  const found = await lookUp(ctx, "facet_search_orders", search);
  if (Array.isArray(found)) {
    qb.andWhere("o.id = ANY(:matches)", { matches: found });
    return;
  }
  const lines = `EXISTS (SELECT 1 FROM order_lines sl WHERE sl.order_id = o.id AND sl.sku ILIKE :search${found === "common" ? " OFFSET 0" : ""})`;
  qb.andWhere(new Brackets((or) => or.where("o.number ILIKE :search").orWhere("o.buyerReference ILIKE :search").orWhere(lines)), { search: likePattern(search) });
}

export async function findOrder(ctx: RequestContext, by: { id?: string | null; number?: string | null }): Promise<Order | null> {
  if ((by.id == null) === (by.number == null)) throw new BadUserInputError("id", "Give exactly one of `id` and `number`");
  const qb = tenantQuery(ctx, Order, "o");
  if (by.id) {
    const id = idOfType(by.id, "Order");
    if (!id) return null;
    qb.andWhere("o.id = :id", { id });
  } else {
    qb.andWhere("o.number = :number", { number: by.number!.trim().toUpperCase() });
  }
  return oneOf(ctx.db, Order, qb);
}

export function findOrderById(ctx: RequestContext, id: string): Promise<Order | null> {
  return oneOf(ctx.db, Order, tenantQuery(ctx, Order, "o").andWhere("o.id = :id", { id }));
}

export const totalOf = (order: Order): Money => money(order.total, order.currency);

export async function linesOf(ctx: RequestContext, order: Order, projection: Projection | null = null): Promise<OrderLineView[]> {
  const lines = await loader(ctx, linesByOrder, projection).load(order.id);
  return lines.map((line) => new OrderLineOf(line, order.currency));
}

export async function historyOf(ctx: RequestContext, order: Order): Promise<OrderStatusChangeView[]> {
  const changes = await loader(ctx, historyByOrder).load(order.id);
  return changes.map((c) => ({ from: c.fromStatus, to: c.toStatus, at: c.changedAt, by: c.changedByName, note: c.note }));
}

// ---- placing -------------------------------------------------------------------------------


interface LineRequest {
  /** Null when there is no variant to look up: its SKU matched none, or the input named none that can be read. */
  variantId: string | null;
  quantity: number;
  customization: LineCustomization;
  /** The input field that named the variant, and that a refusal of it names: `variantId` unless `sku`. */
  identifiedBy?: "variantId" | "sku";
  /** The SKU given, trimmed and in upper case as SKUs are kept, for a line given by SKU. */
  sku?: string;
  /** Refused before anything was read (a preview goes on with it): a plan adds no problem of its own. */
  refused?: boolean;
}

interface PlacementRequest {
  buyerReference: string;
  currency: CurrencyCode | null;
  incoterm: Incoterm | null;
  requestedShipDate: string | null;
  lines: LineRequest[];
  designBriefId?: string | null;
}

function compactCustomization(c: LineCustomizationInput | null | undefined): LineCustomization {
  const out: LineCustomization = {};
  if (c?.size?.trim()) out.size = c.size.trim();
  if (c?.plating) out.plating = c.plating;
  if (c?.stone) out.stone = c.stone;
  if (c?.branding?.trim()) out.branding = c.branding.trim();
  if (c?.engraving?.trim()) out.engraving = c.engraving.trim();
  return out;
}

/** The same request always hashes the same, whatever the key order or spelling of absent values. */
function requestHash(operation: string, request: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === "object" && !(value instanceof Date)
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .filter((k) => (value as Record<string, unknown>)[k] != null)
              .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash("sha256").update(JSON.stringify([operation, canonical(request)])).digest("hex");
}

function validKey(errors: UserErrors, key: string | null | undefined, path: string[]): string | undefined {
  return validate.text(errors, path, key, { max: 255, label: "Idempotency key" });
}

/**
 * What an idempotency key already stands for: the order it placed (same request), or a refusal
 * (another request). Undefined when the key is new.
 */
async function replay(ctx: RequestContext, distributorId: string, key: string, hash: string, keyPath: string[]): Promise<PlaceOrderPayload | undefined> {
  const existing = await ctx.db.findOneBy(IdempotencyKey, { distributorId, key });
  if (!existing) return undefined;
  if (existing.requestHash !== hash || !existing.orderId) {
    return { userErrors: userError(keyPath, "This idempotency key was already used with a different input", UserErrorCode.IDEMPOTENCY_KEY_REUSED) };
  }
  return { order: await ctx.db.findOneByOrFail(Order, { id: existing.orderId }), userErrors: [] };
}

function sizeLabel(v: Variant): string | null {
  if (v.ringSizeMm !== null) return `ring size ${Number(v.ringSizeMm)} mm`;
  if (v.chainLengthMm !== null) return `${v.chainLengthMm / 10} cm`;
  return null;
}

/**
 * The line as it is described on the order and the invoice: the piece named from what it is made
 * of (so an asked-for plating or stone is named as the law names it: "14K gold electroplated
 * brass", "with diamond", "with heated sapphire"), then its size and the buyer's own changes.
 */
function lineDescription(product: Product, variant: Variant, c: LineCustomization, composition: CompositionRow): string {
  const parts = [displayName(product.name, composition), sizeLabel(variant)];
  if (c.size) parts.push(`custom size ${c.size}`);
  if (c.branding) parts.push(`branded "${c.branding}"`);
  if (c.engraving) parts.push(`engraved "${c.engraving}"`);
  return parts.filter(Boolean).join(", ").slice(0, 400);
}

/** The latest ship date an order may ask for: two years from the exporter's today. */
function latestRequestableShipDate(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 2);
  return d.toISOString().slice(0, 10);
}

function checkCustomization(errors: UserErrors, path: (field: string) => (string | number)[], product: Product, c: LineCustomization): void {
  const offered = product.customizationOptions ?? {};
  if (c.size !== undefined) {
    if (!offered.customSizes) errors.add(path("size"), `${product.styleCode} is not made in custom sizes`, UserErrorCode.NOT_OFFERED);
    else validate.text(errors, path("size"), c.size, { max: 20, label: "Size" });
  }
  // An offer states the plating or stone as it is made; the line's composition is taken from it.
  if (c.plating !== undefined && !(offered.platingOffers ?? []).some((o) => o.type === c.plating)) {
    errors.add(path("plating"), `${product.styleCode} is not offered with ${c.plating} plating`, UserErrorCode.NOT_OFFERED);
  }
  if (c.stone !== undefined && !(offered.stoneOffers ?? []).some((o) => o.type === c.stone)) {
    errors.add(path("stone"), `${product.styleCode} is not offered with ${c.stone}`, UserErrorCode.NOT_OFFERED);
  }
  if (c.branding !== undefined) {
    if (!offered.branding) errors.add(path("branding"), `${product.styleCode} is not offered with branding`, UserErrorCode.NOT_OFFERED);
    else validate.text(errors, path("branding"), c.branding, { max: 60, label: "Branding" });
  }
  if (c.engraving !== undefined) {
    const max = offered.engravingMaxLength ?? 0;
    if (max === 0) errors.add(path("engraving"), `${product.styleCode} is not offered with engraving`, UserErrorCode.NOT_OFFERED);
    else validate.text(errors, path("engraving"), c.engraving, { max, label: "Engraving" });
  }
}

/** What a placement wrote: the order and its lines. */
interface Placed {
  order: Order;
  lines: OrderLine[];
}

/** Records which order an idempotency key placed, in the placement's transaction. */
type AttachKey = (orderId: string) => Promise<void>;

/** Where a placement's problems are named in its input. */
interface PlacementPaths {
  line: (index: number, ...field: string[]) => (string | number)[];
  currency: string[];
  lines: string[];
}

/** How a plan runs: to place an order, or to preview one. */
interface PlanMode {
  /**
   * Placing: refuse (throw Rejected) once a step finds a problem, and lock the stock rows and
   * batches allotted. Previewing: go on, reporting every problem, and lock nothing (a preview
   * writes nothing and may run on a read replica, where rows cannot be locked).
   */
  place: boolean;
  /** Runs once every line is priced, before stock is read: placing writes the order's header here. */
  beforeAllotting?: (total: string, today: string) => Promise<void>;
}

/** One line as a plan found it. */
interface PlannedLine {
  request: LineRequest;
  variant?: Variant;
  product?: Product;
  /** From the caller's price list, its style's quantity break applied; absent when it has no price for the variant. */
  unitPrice?: string;
  /** The quantity break of the caller's list that set the unit price, if one did. */
  quantityBreak?: PriceBreak;
  lineTotal?: string;
  /** The line as it would be written: set once stock and production were allotted to it. */
  line?: NewLine;
}

interface Plan {
  lines: PlannedLine[];
  /** Every problem found; when placing, always empty (a problem throws). */
  errors: UserErrors;
  /** Sum of the priced lines. */
  total: string;
  today: string;
}

/**
 * Prices and allots a placement's lines: what `placeOrder`, `reorder` and `previewOrder` share,
 * so a preview answers exactly what a placement would do and refuse. Every line is priced first;
 * when placing, `beforeAllotting` then writes the order, its first history entry and the
 * idempotency key's link, and only then are the stock rows and batches of every variant locked,
 * in a fixed order (so concurrent placements queue instead of deadlocking), and each line takes
 * what stock covers, then free batch capacity, then a new run — the lead-time quote's rule.
 * Every placement of a variant waits for that lock until the one holding it commits, so as little
 * as possible happens between the two. Size, plating or stone changes cannot come off the shelf,
 * so such lines are always made. One order takes from a variant's stock at most its reservable
 * share (see reservableFromStock), over all its lines of that variant; the rest of a line is made
 * to order, with the lead time that brings, except for a discontinued piece, which is not made
 * again: that line is refused. Nothing here writes; `beforeAllotting` is the only write, and a
 * preview passes none.
 */
async function planPlacement(tx: RequestContext, distributor: Distributor, request: PlacementRequest, paths: PlacementPaths, mode: PlanMode): Promise<Plan> {
  const errors = new UserErrors();
  const refuseIfAny = () => {
    if (mode.place && errors.any) throw new Rejected(errors.list);
  };
  if (request.currency && request.currency !== distributor.currency) {
    errors.add(paths.currency, `Orders are in the contract currency, ${distributor.currency}`, UserErrorCode.INVALID);
  }

  const variantIds = [...new Set(request.lines.map((l) => l.variantId).filter((id): id is string => Boolean(id)))].sort();
  const variants = new Map((await tx.db.createQueryBuilder(Variant, "v").where("v.id = ANY(:variantIds)", { variantIds }).getMany()).map((v) => [v.id, v]));
  const productIds = [...new Set([...variants.values()].map((v) => v.productId))];
  const products = new Map((await tx.db.createQueryBuilder(Product, "p").where("p.id = ANY(:productIds)", { productIds }).getMany()).map((p) => [p.id, p]));
  const prices = new Map(
    (
      await tx.db
        .createQueryBuilder(VariantPrice, "pr")
        .where("pr.distributorId = :distributorId", { distributorId: distributor.id })
        .andWhere("pr.variantId = ANY(:variantIds)", { variantIds })
        .getMany()
    ).map((p) => [p.variantId, p]),
  );
  // Quantity breaks (see unitPriceWithBreaks in the catalog) count the style's units over the
  // order's lines, its sizes and lengths together: every line that names a variant the caller's
  // list prices and that was not refused before anything was read.
  const breaks = productIds.length > 0 ? await breaksReader(tx, distributor.id)(productIds) : new Map<string, PriceBreak[]>();
  const styleQuantities = new Map<string, number>();
  for (const line of request.lines) {
    const variant = line.variantId && !line.refused ? variants.get(line.variantId) : undefined;
    if (variant && prices.has(variant.id)) styleQuantities.set(variant.productId, (styleQuantities.get(variant.productId) ?? 0) + line.quantity);
  }

  // Lines that can be allotted stock and production: known, priced, and with what the style offers.
  const allottable = new Set<number>();
  const planned = request.lines.map((line, i): PlannedLine => {
    const out: PlannedLine = { request: line };
    // A line given by SKU is refused at its SKU, one given by id at its id, in the same words.
    const by = line.identifiedBy ?? "variantId";
    const variant = line.variantId ? variants.get(line.variantId) : undefined;
    if (!variant) {
      if (!line.refused) errors.add(paths.line(i, by), by === "sku" ? "No variant with this SKU" : "No variant with this id", UserErrorCode.NOT_FOUND);
      return out;
    }
    const product = products.get(variant.productId)!;
    const price = prices.get(variant.id);
    const broken = price && breaks.has(product.id) ? unitPriceWithBreaks(price.amount, breaks.get(product.id)!, styleQuantities.get(product.id) ?? 0) : null;
    Object.assign(out, { variant, product, unitPrice: broken?.unitPrice ?? price?.amount, quantityBreak: broken?.applied ?? undefined });
    // Refused before anything was read (a preview goes on): shown, neither checked further nor allotted.
    if (line.refused) return out;
    if (line.quantity < product.minimumOrderQuantity) {
      errors.add(paths.line(i, "quantity"), `${variant.sku} has a minimum order quantity of ${product.minimumOrderQuantity}`, UserErrorCode.OUT_OF_RANGE);
    }
    if (!price) errors.add(paths.line(i, by), `Your price list has no price for ${variant.sku}`, UserErrorCode.PRICE_MISSING);
    const before = errors.list.length;
    checkCustomization(errors, (field) => paths.line(i, "customization", field), product, line.customization);
    if (!price) return out;
    out.lineTotal = multiply(out.unitPrice!, line.quantity);
    if (errors.list.length === before) allottable.add(i);
    return out;
  });
  refuseIfAny();

  const total = sum(planned.flatMap((p) => (p.lineTotal ? [p.lineTotal] : [])));
  if (!fitsStorage(total)) {
    errors.add(paths.lines, `The order would total ${money(total, distributor.currency).amount} ${distributor.currency}, more than one order can hold; split it`, UserErrorCode.OUT_OF_RANGE);
    refuseIfAny();
  }
  // Lead times count business days on the exporter's calendar from its today (not UTC's).
  const { today, calendar } = await calendarFromToday(tx);
  await mode.beforeAllotting?.(total, today);

  const lockRows = mode.place ? " FOR UPDATE" : "";
  const allotted = [...new Set([...allottable].map((i) => planned[i].variant!.id))].sort();
  const stock = new Map<string, number>();
  // What this order may still take from each variant's stock: a share of what is available now.
  const reservable = new Map<string, number>();
  for (const row of (await tx.db.query(
    `SELECT variant_id, on_hand - reserved AS available FROM stock_levels WHERE variant_id = ANY($1) ORDER BY variant_id${lockRows}`,
    [allotted],
  )) as { variant_id: string; available: number }[]) {
    stock.set(row.variant_id, row.available);
    reservable.set(row.variant_id, reservableFromStock(row.available, tx.config.reservations));
  }
  const batches = (await tx.db.query(
    `SELECT id, variant_id, quantity - allocated AS free, ready_date, description FROM production_batches
     WHERE variant_id = ANY($1) AND status = 'SCHEDULED' AND ready_date >= $2 ORDER BY id${lockRows}`,
    [allotted, today],
  )) as { id: string; variant_id: string; free: number; ready_date: string; description: string }[];

  const allocatedByBatch = new Map<string, number>();
  planned.forEach((p, i) => {
    if (!allottable.has(i)) return;
    const { request: line, variant, product } = p as Required<PlannedLine>;
    const custom = Boolean(line.customization.size || line.customization.plating || line.customization.stone);
    const inStock = custom ? 0 : Math.max(stock.get(variant.id) ?? 0, 0);
    const available = Math.min(inStock, reservable.get(variant.id) ?? 0);
    if ((variant.discontinued || product.discontinued) && (custom || line.quantity > available)) {
      // A discontinued piece is not made again: what one order may not take from stock is refused.
      const message =
        available < inStock
          ? `${variant.sku} is discontinued: one order may take at most ${available} of the ${inStock} in stock, not ${line.quantity}`
          : `${variant.sku} is discontinued: only ${available} can be had, from stock`;
      errors.add(paths.line(i, "quantity"), message, UserErrorCode.INVALID_STATE);
    }
    const quote = quoteLeadTime({
      today,
      calendar,
      quantity: line.quantity,
      available,
      batches: custom
        ? []
        : batches
            .filter((b) => b.variant_id === variant.id)
            .map((b) => ({ id: b.id, readyDate: b.ready_date, free: b.free - (allocatedByBatch.get(b.id) ?? 0), description: b.description })),
      standardLeadTimeDays: product.standardLeadTimeDays,
    });
    stock.set(variant.id, (stock.get(variant.id) ?? 0) - quote.fromStock);
    reservable.set(variant.id, (reservable.get(variant.id) ?? 0) - quote.fromStock);
    const batchAllocations: BatchAllocation[] = quote.allocations.filter((a) => a.batchId).map((a) => ({ batchId: a.batchId!, quantity: a.quantity }));
    for (const a of batchAllocations) allocatedByBatch.set(a.batchId, (allocatedByBatch.get(a.batchId) ?? 0) + a.quantity);
    // What the piece is made of, as ordered: checkCustomization refused what the style does not offer.
    const composition = compositionOfVariant(product, variant, line.customization)!;
    p.line = {
      lineNumber: i + 1,
      variantId: variant.id,
      sku: variant.sku,
      description: lineDescription(product, variant, line.customization, composition),
      quantity: line.quantity,
      unitPrice: p.unitPrice!,
      lineTotal: p.lineTotal!,
      fromStock: quote.fromStock,
      batchAllocations,
      estimatedShipDate: quote.estimatedShipDate,
      customization: line.customization,
      composition,
    };
  });
  refuseIfAny();
  return { lines: planned, errors, total, today };
}

/**
 * Creates the order inside the caller's transaction, as planPlacement plans it: the header first,
 * then the reservations of stock and batch capacity, then the lines.
 */
async function place(tx: RequestContext, distributor: Distributor, request: PlacementRequest, paths: PlacementPaths, attach: AttachKey): Promise<Placed> {
  let order: Order | undefined;
  const plan = await planPlacement(tx, distributor, request, paths, {
    place: true,
    beforeAllotting: async (total, today) => {
      order = await insertHeader(
        tx,
        distributor,
        {
          buyerReference: request.buyerReference,
          incoterm: request.incoterm ?? distributor.defaultIncoterm,
          requestedShipDate: request.requestedShipDate,
          designBriefId: request.designBriefId ?? null,
        },
        // The ship date is known once stock and production are allotted.
        { total, lineCount: request.lines.length, estimatedShipDate: today },
      );
      await attach(order.id);
    },
  });
  if (!order) throw new Error("a placement's plan did not write its order");
  // Placing refuses any problem, so every line was allotted.
  const lines = plan.lines.map((p) => p.line!);

  const reservedByVariant = new Map<string, number>();
  const allocatedByBatch = new Map<string, number>();
  for (const l of lines) {
    reservedByVariant.set(l.variantId!, (reservedByVariant.get(l.variantId!) ?? 0) + l.fromStock);
    for (const a of l.batchAllocations) allocatedByBatch.set(a.batchId, (allocatedByBatch.get(a.batchId) ?? 0) + a.quantity);
  }
  const reserve = [...reservedByVariant].filter(([, n]) => n > 0);
  if (reserve.length) {
    await tx.db.query(
      `UPDATE stock_levels s SET reserved = s.reserved + d.quantity, updated_at = now()
       FROM unnest($1::uuid[], $2::int[]) AS d(variant_id, quantity) WHERE s.variant_id = d.variant_id`,
      [reserve.map(([v]) => v), reserve.map(([, n]) => n)],
    );
    await availabilityChanged(tx, reserve.map(([v]) => v));
  }
  if (allocatedByBatch.size) {
    await tx.db.query(
      `UPDATE production_batches b SET allocated = b.allocated + d.quantity
       FROM unnest($1::uuid[], $2::int[]) AS d(id, quantity) WHERE b.id = d.id`,
      [[...allocatedByBatch.keys()], [...allocatedByBatch.values()]],
    );
  }

  const inserted = await insertLines(tx, order.id, lines);
  order.estimatedShipDate = latestShipDate(lines, plan.today);
  await tx.db.update(Order, { id: order.id }, { estimatedShipDate: order.estimatedShipDate });
  return { order, lines: inserted };
}

// A new line has nothing made yet: madeToOrderReady starts at the column's 0.
type NewLine = Omit<OrderLine, "id" | "orderId" | "madeToOrderReady">;

const latestShipDate = (lines: NewLine[], today: string) => lines.reduce((latest, l) => (l.estimatedShipDate > latest ? l.estimatedShipDate : latest), today);

/** A new PENDING order (without lines) and its first history entry, as written. */
async function insertHeader(
  tx: RequestContext,
  distributor: Distributor,
  order: Pick<Order, "buyerReference" | "incoterm" | "requestedShipDate" | "designBriefId">,
  figures: Pick<Order, "total" | "lineCount" | "estimatedShipDate">,
): Promise<Order> {
  const [{ seq }] = (await tx.db.query(`SELECT nextval('order_number_seq') AS seq`)) as { seq: string }[];
  const actor = await actorOf(tx);
  const values = {
    ...order,
    ...figures,
    number: `EXP-${exporterToday(tx).slice(0, 4)}-${seq.padStart(6, "0")}`,
    distributorId: distributor.id,
    placedByUserId: actor.userId,
    placedByApiClientId: actor.apiClientId,
    currency: distributor.currency,
    status: OrderStatus.PENDING,
  };
  // The insert returns what the database filled in (id, timestamps): no need to read the row back.
  const { generatedMaps } = await tx.db.insert(Order, values);
  const created = tx.db.create(Order, { ...values, ...generatedMaps[0] });
  await tx.db.insert(OrderStatusChange, {
    orderId: created.id,
    fromStatus: null,
    toStatus: OrderStatus.PENDING,
    changedByUserId: actor.userId,
    changedByApiClientId: actor.apiClientId,
    changedByName: actor.name,
    note: null,
  });
  await recordEvents(tx, [
    {
      type: "order.placed",
      distributorId: distributor.id,
      subjectId: created.id,
      data: { orderId: toGlobalId("Order", created.id), number: created.number, status: created.status, designBriefId: order.designBriefId ? toGlobalId("DesignBrief", order.designBriefId) : null },
    },
  ]);
  return created;
}

async function insertLines(tx: RequestContext, orderId: string, lines: NewLine[]): Promise<OrderLine[]> {
  const values = lines.map((l) => ({ ...l, orderId }));
  const { generatedMaps } = await tx.db.insert(OrderLine, values);
  return values.map((v, i) => tx.db.create(OrderLine, { ...v, ...generatedMaps[i] }));
}

/**
 * The pending order of an accepted design brief: one line for a piece that is not in the
 * catalog, at the quoted price, made to order within the quoted lead time, made of what the quote
 * states (its metal, fineness, metal weight, plating and stones), which its invoice and customs
 * declaration then declare.
 */
export async function placeDesignBriefOrder(
  tx: RequestContext,
  distributor: Distributor,
  brief: { id: string; reference: string; description: string; quantity: number; unitPrice: string; leadTimeBusinessDays: number; composition: CompositionRow },
): Promise<Order> {
  const { today, calendar } = await calendarFromToday(tx);
  const shipDate = addBusinessDays(calendar, today, brief.leadTimeBusinessDays);
  const lines: NewLine[] = [
    {
      lineNumber: 1,
      variantId: null,
      sku: brief.reference,
      description: displayName(brief.description, brief.composition).slice(0, 400),
      quantity: brief.quantity,
      unitPrice: brief.unitPrice,
      lineTotal: multiply(brief.unitPrice, brief.quantity),
      fromStock: 0,
      batchAllocations: [],
      estimatedShipDate: shipDate,
      customization: {},
      composition: brief.composition,
    },
  ];
  const order = await insertHeader(
    tx,
    distributor,
    { buyerReference: brief.reference, incoterm: distributor.defaultIncoterm, requestedShipDate: null, designBriefId: brief.id },
    { total: sum(lines.map((l) => l.lineTotal)), lineCount: lines.length, estimatedShipDate: latestShipDate(lines, today) },
  );
  await insertLines(tx, order.id, lines);
  return order;
}

function ownDistributorId(ctx: RequestContext): string {
  const id = ctx.principal?.distributorId;
  if (!id) throw new Error("placing an order needs a distributor principal");
  return id;
}

/**
 * Runs a keyed placement once: the key row is inserted in the same transaction as the order, so
 * a concurrent retry waits for the first attempt and then replays its result; a refused attempt
 * rolls back and leaves the key free.
 */
async function placeOnce(
  ctx: RequestContext,
  operation: string,
  key: string,
  keyPath: string[],
  hashed: unknown,
  build: (tx: RequestContext, distributor: Distributor, attach: AttachKey) => Promise<Placed>,
): Promise<PlaceOrderPayload> {
  const distributorId = ownDistributorId(ctx);
  const hash = requestHash(operation, hashed);
  const earlier = await replay(ctx, distributorId, key, hash, keyPath);
  if (earlier) return earlier;

  const result: PlaceOrderPayload & { lines?: OrderLine[] } = await mutate(ctx, async (tx) => {
    const [inserted] = (await tx.db.query(
      `INSERT INTO idempotency_keys (distributor_id, key, operation, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (distributor_id, key) DO NOTHING RETURNING key`,
      [distributorId, key, operation, hash],
    )) as { key: string }[];
    if (!inserted) {
      const raced = await replay(tx, distributorId, key, hash, keyPath);
      if (raced?.userErrors.length) throw new Rejected(raced.userErrors);
      return raced!;
    }
    const distributor = await tx.db.findOneByOrFail(Distributor, { id: distributorId });
    const { order, lines } = await build(tx, distributor, async (orderId) => {
      await tx.db.update(IdempotencyKey, { distributorId, key }, { orderId });
    });
    return { order, lines, userErrors: [] as UserError[] };
  });
  // The payload shows the lines just written; they need not be read back.
  if (result.order && result.lines) loader(ctx, linesByOrder).prime(result.order.id, result.lines);
  return { order: result.order ?? null, userErrors: result.userErrors };
}

/** What `placeOrder` and `previewOrder` check of an input before reading anything. */
interface CheckedOrderInput {
  buyerReference: string | undefined;
  /** One per line of the input, in order; none when there are more than MAX_LINES. */
  lines: LineRequest[];
}

/**
 * Checks an order's input as far as it can be without the database, adding each problem to
 * `errors`: the buyer reference, the number of lines, the ship date, the Incoterm, and of each
 * line its variant (exactly one of `variantId` and `sku`), quantity and customization's spelling.
 */
function checkOrderInput(ctx: RequestContext, input: PlaceOrderInput, errors: UserErrors): CheckedOrderInput {
  const buyerReference = validate.text(errors, ["input", "buyerReference"], input.buyerReference, { max: 35, label: "Buyer reference" });
  const lines = input.lines ?? [];
  if (lines.length === 0) errors.add(["input", "lines"], "An order needs at least one line", UserErrorCode.REQUIRED);
  if (lines.length > MAX_LINES) errors.add(["input", "lines"], `An order may have at most ${MAX_LINES} lines`, UserErrorCode.TOO_LONG);
  const today = exporterToday(ctx);
  if (input.requestedShipDate && input.requestedShipDate < today) {
    errors.add(["input", "requestedShipDate"], `Requested ship date must be today (${today}) or later`, UserErrorCode.OUT_OF_RANGE);
  } else if (input.requestedShipDate && input.requestedShipDate > latestRequestableShipDate(today)) {
    errors.add(["input", "requestedShipDate"], `Requested ship date must be within two years, by ${latestRequestableShipDate(today)}`, UserErrorCode.OUT_OF_RANGE);
  }
  const requests: LineRequest[] = [];
  if (lines.length <= MAX_LINES) {
    lines.forEach((line, i) => {
      const before = errors.list.length;
      const path = (field: string) => ["input", "lines", i, field];
      const request: LineRequest = { variantId: null, quantity: line.quantity, customization: compactCustomization(line.customization), identifiedBy: "variantId" };
      if (line.variantId != null && line.sku != null) {
        errors.add(path("variantId"), "Give the line's variant by `variantId` or by `sku`, not both", UserErrorCode.INVALID);
      } else if (line.variantId == null && line.sku == null) {
        errors.add(path("variantId"), "Give the line's variant: `variantId` or `sku`", UserErrorCode.REQUIRED);
      } else if (line.sku != null) {
        // SKUs are kept in upper case (see upsertVariant): any case matches.
        request.identifiedBy = "sku";
        request.sku = validate.text(errors, path("sku"), line.sku, { max: 40, label: "SKU" })?.toUpperCase();
      } else {
        request.variantId = idOfType(line.variantId!, "Variant");
        if (!request.variantId) errors.add(path("variantId"), "No variant with this id", UserErrorCode.NOT_FOUND);
      }
      validate.integer(errors, path("quantity"), line.quantity, { min: 1, max: MAX_LINE_QUANTITY, label: "Quantity" });
      request.refused = errors.list.length > before;
      requests.push(request);
    });
  }
  // Facet's shipments go by air: a rule for sea transport would make every document of the order untrue.
  if (input.incoterm && SEA_ONLY.includes(input.incoterm)) {
    errors.add(
      ["input", "incoterm"],
      `${input.incoterm} is for sea and inland waterway transport only; Facet ships by air, where Incoterms® 2020 use ${ANY_MODE_EQUIVALENT[input.incoterm]}`,
      UserErrorCode.INVALID,
    );
  }
  return { buyerReference, lines: requests };
}

/**
 * Finds the variant of every line given by SKU, all in one statement, and sets its `variantId`;
 * a SKU no variant has leaves it null, which the plan refuses as it refuses an unknown variant id.
 * The catalog is the same for every distributor: which SKUs the caller may order is its price
 * list's business, checked as for a line given by id.
 */
async function resolveSkus(ctx: RequestContext, lines: LineRequest[]): Promise<void> {
  const skus = [...new Set(lines.flatMap((l) => (l.identifiedBy === "sku" && l.sku ? [l.sku] : [])))];
  if (skus.length === 0) return;
  const found = new Map((await sql<{ id: string; sku: string }>(ctx.db, `SELECT id, sku FROM variants WHERE sku = ANY($1)`, [skus])).map((v) => [v.sku, v.id]));
  for (const line of lines) if (line.identifiedBy === "sku" && line.sku) line.variantId = found.get(line.sku) ?? null;
}

const ORDER_INPUT_PATHS: PlacementPaths = { line: (i, ...field) => ["input", "lines", i, ...field], currency: ["input", "currency"], lines: ["input", "lines"] };

export async function placeOrder(ctx: RequestContext, input: PlaceOrderInput): Promise<PlaceOrderPayload> {
  const errors = new UserErrors();
  const key = validKey(errors, input.idempotencyKey, ["input", "idempotencyKey"]);
  const checked = checkOrderInput(ctx, input, errors);
  if (errors.any || !key || !checked.buyerReference) return { userErrors: errors.list };
  await resolveSkus(ctx, checked.lines);

  const request: PlacementRequest = {
    buyerReference: checked.buyerReference,
    currency: input.currency ?? null,
    incoterm: input.incoterm ?? null,
    requestedShipDate: input.requestedShipDate ?? null,
    lines: checked.lines,
  };
  // The key stands for the order asked for, whichever way its lines named their variants: a line
  // given by SKU hashes as the same line given by its variant's id (and a request of variant ids
  // alone hashes as it always has). A SKU that matched nothing is refused, so its key stays free.
  const hashed = {
    ...request,
    lines: request.lines.map(({ variantId, sku, quantity, customization }) => (variantId ? { variantId, quantity, customization } : { sku, quantity, customization })),
  };
  return placeOnce(ctx, "placeOrder", key, ["input", "idempotencyKey"], hashed, (tx, distributor, attach) => place(tx, distributor, request, ORDER_INPUT_PATHS, attach));
}

/**
 * What `placeOrder` would answer for this input, now: every line priced and allotted as the
 * placement would, and every problem it would refuse, with nothing written and nothing locked.
 * The idempotency key is not read: a preview is not a placement, and the key's order (if any)
 * is not looked up. Runs as a query, without a transaction, each read as of its own statement.
 */
export async function previewOrder(ctx: RequestContext, input: PlaceOrderInput): Promise<OrderPreview> {
  const errors = new UserErrors();
  const checked = checkOrderInput(ctx, input, errors);
  const [distributor] = await Promise.all([ctx.db.findOneByOrFail(Distributor, { id: ownDistributorId(ctx) }), resolveSkus(ctx, checked.lines)]);
  const request: PlacementRequest = {
    buyerReference: checked.buyerReference ?? "",
    currency: input.currency ?? null,
    incoterm: input.incoterm ?? null,
    requestedShipDate: input.requestedShipDate ?? null,
    lines: checked.lines,
  };
  const plan = await planPlacement(ctx, distributor, request, ORDER_INPUT_PATHS, { place: false });
  const all = [...errors.list, ...plan.errors.list];
  // Each line's problems: those naming a field of it.
  const problems = new Map<number, UserError[]>();
  for (const e of all) {
    if (e.field?.[0] !== "input" || e.field[1] !== "lines" || e.field.length < 4) continue;
    const i = Number(e.field[2]);
    problems.set(i, [...(problems.get(i) ?? []), e]);
  }
  const currency = distributor.currency;
  const lines = plan.lines.map(({ request: line, variant, unitPrice, quantityBreak, lineTotal, line: planned }, i): OrderPreviewLine => ({
    lineNumber: i + 1,
    variantId: variant?.id ?? null,
    sku: variant?.sku ?? line.sku ?? null,
    description: planned?.description ?? null,
    quantity: line.quantity,
    unitPrice: unitPrice ? money(unitPrice, currency) : null,
    quantityBreak: quantityBreak ? quantityBreakView(quantityBreak) : null,
    lineTotal: lineTotal ? money(lineTotal, currency) : null,
    fromStock: planned ? planned.fromStock : null,
    madeToOrder: planned ? planned.quantity - planned.fromStock : null,
    estimatedShipDate: planned?.estimatedShipDate ?? null,
    customization: line.customization,
    problems: problems.get(i) ?? [],
  }));
  const allotted = plan.lines.flatMap((p) => (p.line ? [p.line] : []));
  return {
    lines,
    total: money(plan.total, currency),
    currency,
    incoterm: request.incoterm ?? distributor.defaultIncoterm,
    estimatedShipDate: allotted.length ? latestShipDate(allotted, plan.today) : null,
    valid: all.length === 0,
    userErrors: all,
  };
}

export async function reorder(ctx: RequestContext, input: ReorderInput): Promise<ReorderPayload> {
  const errors = new UserErrors();
  const key = validKey(errors, input.idempotencyKey, ["input", "idempotencyKey"]);
  const buyerReference =
    input.buyerReference != null ? validate.text(errors, ["input", "buyerReference"], input.buyerReference, { max: 35, label: "Buyer reference" }) : undefined;
  if (errors.any || !key) return { userErrors: errors.list };
  const id = idOfType(input.orderId, "Order");
  const earlier = id ? await findOrderById(ctx, id) : null;
  if (!earlier) return { userErrors: userError(["input", "orderId"], "No such order", UserErrorCode.NOT_FOUND) };

  return placeOnce(ctx, "reorder", key, ["input", "idempotencyKey"], { orderId: earlier.id, buyerReference }, async (tx, distributor, attach) => {
    const lines = await tx.db.find(OrderLine, { where: { orderId: earlier.id }, order: { lineNumber: "ASC" } });
    if (lines.some((l) => l.variantId === null)) {
      throw new Rejected(userError(["input", "orderId"], "An exclusive design-brief piece is not reordered; start a new brief", UserErrorCode.NOT_ALLOWED));
    }
    return place(
      tx,
      distributor,
      {
        buyerReference: buyerReference ?? earlier.buyerReference,
        currency: null,
        incoterm: earlier.incoterm,
        requestedShipDate: null,
        lines: lines.map((l) => ({ variantId: l.variantId!, quantity: l.quantity, customization: l.customization })),
      },
      // The earlier order's lines are not part of this input: a line that can no longer be
      // ordered is the earlier order's fault (the message names its SKU).
      { line: () => ["input", "orderId"], currency: ["input", "orderId"], lines: ["input", "orderId"] },
      attach,
    );
  });
}

// ---- changing status ---------------------------------------------------------------------------

async function lockOrder(tx: RequestContext, globalId: string): Promise<Order> {
  const id = idOfType(globalId, "Order");
  const order = id ? await tenantQuery(tx, Order, "o").andWhere("o.id = :id", { id }).setLock("pessimistic_write").getOne() : null;
  if (!order) throw new Rejected(userError(["input", "id"], "No such order", UserErrorCode.NOT_FOUND));
  return order;
}

/**
 * Moves orders the transaction has locked to `to` and writes each one's history entry, by `actor`:
 * the caller, or the system for a change no one asked for (an expiry).
 */
async function recordChanges(tx: RequestContext, orders: readonly Pick<Order, "id" | "status">[], to: OrderStatus, note: string | null, actor: Actor): Promise<void> {
  if (orders.length === 0) return;
  const changed = await sql<{ id: string; distributor_id: string; number: string }>(
    tx.db,
    `UPDATE orders SET status = $1, updated_at = now() WHERE id = ANY($2) RETURNING id, distributor_id, number`,
    [to, orders.map((o) => o.id)],
  );
  await tx.db.insert(
    OrderStatusChange,
    orders.map((order) => ({
      orderId: order.id,
      fromStatus: order.status,
      toStatus: to,
      changedByUserId: actor.userId,
      changedByApiClientId: actor.apiClientId,
      changedByName: actor.name,
      note,
    })),
  );
  await recordEvents(tx, statusEvents(changed, new Map(orders.map((o) => [o.id, o.status])), to));
}

/** The events of orders moving to `to`: each a status change, and a confirmation or cancellation under its own type too. */
function statusEvents(changed: readonly { id: string; distributor_id: string; number: string }[], from: ReadonlyMap<string, OrderStatus>, to: OrderStatus): NewEvent[] {
  const also = to === OrderStatus.CONFIRMED ? "order.confirmed" : to === OrderStatus.CANCELLED ? "order.cancelled" : null;
  return changed.flatMap((order) => {
    const data = { orderId: toGlobalId("Order", order.id), number: order.number, from: from.get(order.id) ?? null, to };
    const base = { distributorId: order.distributor_id, subjectId: order.id, data };
    return also ? [{ type: "order.status_changed" as const, ...base }, { type: also, ...base }] : [{ type: "order.status_changed" as const, ...base }];
  });
}

async function recordChange(tx: RequestContext, order: Order, to: OrderStatus, note: string | null): Promise<Order> {
  await recordChanges(tx, [order], to, note, await actorOf(tx));
  return tx.db.findOneByOrFail(Order, { id: order.id });
}

/**
 * Gives back what orders hold: the stock their lines reserved and the batch capacity they were
 * allotted. Rows are locked in the order placement locks them (stock by variant, then batches by
 * id): an UPDATE … FROM unnest() locks in whatever order its plan visits, and a release and a
 * placement that lock the same rows in opposite orders deadlock.
 */
async function releaseReservations(tx: RequestContext, orderIds: readonly string[]): Promise<void> {
  const lines = await tx.db.findBy(OrderLine, { orderId: In([...orderIds]) });
  const release = new Map<string, number>();
  const unallocate = new Map<string, number>();
  for (const line of lines) {
    if (line.variantId && line.fromStock > 0) release.set(line.variantId, (release.get(line.variantId) ?? 0) + line.fromStock);
    for (const a of line.batchAllocations) unallocate.set(a.batchId, (unallocate.get(a.batchId) ?? 0) + a.quantity);
  }
  if (release.size) {
    const variantIds = [...release.keys()].sort();
    await tx.db.query(`SELECT 1 FROM stock_levels WHERE variant_id = ANY($1) ORDER BY variant_id FOR UPDATE`, [variantIds]);
    await tx.db.query(
      `UPDATE stock_levels s SET reserved = s.reserved - d.quantity, updated_at = now()
       FROM unnest($1::uuid[], $2::int[]) AS d(variant_id, quantity) WHERE s.variant_id = d.variant_id`,
      [variantIds, variantIds.map((v) => release.get(v)!)],
    );
    await availabilityChanged(tx, variantIds);
  }
  if (unallocate.size) {
    const batchIds = [...unallocate.keys()].sort();
    await tx.db.query(`SELECT 1 FROM production_batches WHERE id = ANY($1) ORDER BY id FOR UPDATE`, [batchIds]);
    await tx.db.query(
      `UPDATE production_batches b SET allocated = GREATEST(b.allocated - d.quantity, 0)
       FROM unnest($1::uuid[], $2::int[]) AS d(id, quantity) WHERE b.id = d.id`,
      [batchIds, batchIds.map((b) => unallocate.get(b)!)],
    );
  }
}

/**
 * Cancels orders the transaction has locked and may cancel: releases what they hold and records
 * the change. A buyer's cancellation and the expiry of unconfirmed orders both go this way.
 */
export async function cancelLockedOrders(tx: RequestContext, orders: readonly Pick<Order, "id" | "status">[], note: string | null, actor: Actor): Promise<void> {
  await releaseReservations(tx, orders.map((o) => o.id));
  await recordChanges(tx, orders, OrderStatus.CANCELLED, note, actor);
}

function validNote(errors: UserErrors, path: string[], note: string | null | undefined): string | null {
  return note != null && note.trim() !== "" ? (validate.text(errors, path, note, { max: 1000, label: "Note" }) ?? null) : null;
}

export async function cancelOrder(ctx: RequestContext, input: CancelOrderInput): Promise<CancelOrderPayload> {
  const errors = new UserErrors();
  const reason = validNote(errors, ["input", "reason"], input.reason);
  if (errors.any) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const order = await lockOrder(tx, input.id);
    if (!canCancel(order.status)) {
      const message =
        order.status === OrderStatus.PARTIALLY_SHIPPED
          ? "Part of this order has shipped: it can no longer be cancelled whole"
          : `An order that is ${order.status} can no longer be cancelled`;
      throw new Rejected(userError(["input", "id"], message, UserErrorCode.INVALID_STATE));
    }
    // A confirmed order may ship what is ready before it is packed; goods in a shipment are not
    // given back to stock. createShipment locks the order too, so none can be added meanwhile.
    const [shipment] = (await tx.db.query(`SELECT 1 FROM shipments WHERE order_id = $1 LIMIT 1`, [order.id])) as unknown[];
    if (shipment) {
      throw new Rejected(userError(["input", "id"], "Part of this order is in a shipment: it can no longer be cancelled whole", UserErrorCode.INVALID_STATE));
    }
    await cancelLockedOrders(tx, [order], reason, await actorOf(tx));
    return { order: await tx.db.findOneByOrFail(Order, { id: order.id }), userErrors: [] };
  });
}

async function advance(ctx: RequestContext, globalId: string, to: OrderStatus, rawNote: string | null | undefined, statusPath: string[]) {
  const errors = new UserErrors();
  const note = validNote(errors, ["input", "note"], rawNote);
  if (errors.any) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const order = await lockOrder(tx, globalId);
    if (!canAdvance(order.status, to)) {
      throw new Rejected(userError(statusPath, `An order that is ${order.status} cannot move to ${to}`, UserErrorCode.INVALID_STATE));
    }
    return { order: await recordChange(tx, order, to, note), userErrors: [] as UserError[] };
  });
}

export function confirmOrder(ctx: RequestContext, input: ConfirmOrderInput): Promise<ConfirmOrderPayload> {
  return advance(ctx, input.id, OrderStatus.CONFIRMED, input.note, ["input", "id"]);
}

export function advanceOrderStatus(ctx: RequestContext, input: AdvanceOrderStatusInput): Promise<AdvanceOrderStatusPayload> {
  if (input.status === OrderStatus.CONFIRMED) {
    return Promise.resolve({ userErrors: userError(["input", "status"], "Use confirmOrder to confirm an order", UserErrorCode.INVALID_STATE) });
  }
  return advance(ctx, input.id, input.status, input.note, ["input", "status"]);
}

/**
 * Moves an order to PARTIALLY_SHIPPED, SHIPPED or DELIVERED when its shipments say so; the
 * shipments module decides when, and the change is recorded in the order's history like any other.
 */
export async function followShipments(
  tx: RequestContext,
  orderId: string,
  to: OrderStatus.PARTIALLY_SHIPPED | OrderStatus.SHIPPED | OrderStatus.DELIVERED,
  note: string,
): Promise<void> {
  const order = await tx.db.createQueryBuilder(Order, "o").where("o.id = :id", { id: orderId }).setLock("pessimistic_write").getOne();
  if (!order || order.status === to || order.status === OrderStatus.CANCELLED) return;
  await recordChange(tx, order, to, note);
}
