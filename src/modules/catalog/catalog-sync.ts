import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import type { RequestContext } from "../../core/context";
import { tenantOf } from "../../core/tenancy";
import { batchLoader, scopedLoader, type ScopedLoaderFactory } from "../../db/loaders";
import { entityColumns } from "../../db/rows";
import { readSyncHorizon } from "../../db/sql";
import { sql, sqlArrays } from "../../db/statements";
import { cursorValues, pageSize, toConnection, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { BadUserInputError } from "../../graphql/errors";
import { Product } from "./product.entity";
import { Variant } from "./variant.entity";

// Incremental sync of the catalog. What a caller is shown of a style changes when the style or
// one of its variants changes, when a price of its variants changes in the caller's own price
// list (staff: in any list), and when their stock or production batches change. Each of those rows
// has its own updated_at (stamped by triggers, see migrations/1795002300000-catalog-sync.ts), and
// an object's `changedAt` is the latest of them: one caller's price changes neither move another's
// `changedAt` nor put a style in another's sync.
//
// A page in change order reads, through indexes, the objects that changed at or after where it
// starts (the later of `updatedSince` and the cursor), works out their change times and stops at
// the sync horizon (see db/sql.ts), like the orders' sync: a change still uncommitted cannot land
// before a page already read. Nothing here is a per-product column: a stock change writes only
// its stock row (placements lock stock rows in variant order; a product row locked on the way
// would make two of them deadlock).

/** How many SKUs `variants(filter: { skus })` takes at once. */
export const MAX_SYNC_SKUS = 100;

/** The SQL of one caller's price list: its distributor's id as a parameter, or null for staff (every list). */
type PriceList = string | null;

/**
 * When the rows behind the variant `v` (an alias) last changed, its style's aside: the variant,
 * its stock, its batches and its price in the caller's list. Each is looked up by the variant's
 * key in its own index.
 */
function variantRowsChangedAt(v: string, list: PriceList): string {
  const own = list ? `cvp.distributor_id = ${list} AND ` : "";
  return `GREATEST(${v}.updated_at,
    (SELECT cs.updated_at FROM stock_levels cs WHERE cs.variant_id = ${v}.id),
    (SELECT max(cb.updated_at) FROM production_batches cb WHERE cb.variant_id = ${v}.id),
    (SELECT max(cvp.updated_at) FROM variant_prices cvp WHERE ${own}cvp.variant_id = ${v}.id))`;
}

/** When what the caller sees of the product `p` (an alias) last changed: the style, and the rows behind each of its variants. */
function productChangedAt(p: string, list: PriceList): string {
  return `GREATEST(${p}.updated_at, (SELECT max(${variantRowsChangedAt("cv", list)}) FROM variants cv WHERE cv.product_id = ${p}.id))`;
}

/** The products of which something the caller sees changed at or after `since` (SQL of a timestamptz); each table read by its updated_at index. */
function productsChangedSince(since: string, list: PriceList): string {
  const own = list ? `cvp.distributor_id = ${list} AND ` : "";
  return `SELECT id FROM products WHERE updated_at >= ${since}
    UNION SELECT product_id FROM variants WHERE updated_at >= ${since}
    UNION SELECT cv.product_id FROM stock_levels cs JOIN variants cv ON cv.id = cs.variant_id WHERE cs.updated_at >= ${since}
    UNION SELECT cv.product_id FROM production_batches cb JOIN variants cv ON cv.id = cb.variant_id WHERE cb.updated_at >= ${since}
    UNION SELECT cv.product_id FROM variant_prices cvp JOIN variants cv ON cv.id = cvp.variant_id WHERE ${own}cvp.updated_at >= ${since}`;
}

/**
 * When what the caller sees of the variant `v` (an alias) last changed: the rows behind it, and
 * its style (whose discontinuation and lead time its availability shows).
 */
function variantChangedAt(v: string, list: PriceList): string {
  return `GREATEST(${variantRowsChangedAt(v, list)}, (SELECT cp.updated_at FROM products cp WHERE cp.id = ${v}.product_id))`;
}

/** The variants of which something the caller sees changed at or after `since`. */
function variantsChangedSince(since: string, list: PriceList): string {
  const own = list ? `distributor_id = ${list} AND ` : "";
  return `SELECT id FROM variants WHERE updated_at >= ${since}
    UNION SELECT cv.id FROM products cp JOIN variants cv ON cv.product_id = cp.id WHERE cp.updated_at >= ${since}
    UNION SELECT variant_id FROM stock_levels WHERE updated_at >= ${since}
    UNION SELECT variant_id FROM production_batches WHERE updated_at >= ${since}
    UNION SELECT variant_id FROM variant_prices WHERE ${own}updated_at >= ${since}`;
}

// The change time of each object a sync page read, for its `changedAt` and its cursor.
const changeTimes = new WeakMap<object, Date>();

const changeOrder = <T extends { id: string }>(alias: string): Ordering<T> => ({
  name: "changed",
  keys: [{ sql: "changed.at", direction: "ASC", value: (row) => changeTimes.get(row)!, type: "timestamp" }],
  id: `${alias}.id`,
});
const PRODUCT_CHANGES = changeOrder<Product>("sync_p");
const VARIANT_CHANGES = changeOrder<Variant>("sync_v");

/** Parameters of a statement written by hand: each value's `$n`. */
class Parameters {
  constructor(readonly values: unknown[] = []) {}
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

interface ChangePage<T> {
  /** The table, and the alias the ordering names. */
  from: string;
  alias: string;
  entity: new () => T;
  ordering: Ordering<T>;
  changedAt: (alias: string, list: PriceList) => string;
  changedSince: (since: string, list: PriceList) => string;
}

/**
 * One page of objects in change order, for the caller: those `where` keeps (SQL over the alias,
 * with its parameters already in `params`), changed at or after `since`, before the sync horizon.
 */
async function changePage<T extends ObjectLiteral & { id: string }>(
  ctx: RequestContext,
  page: ChangePage<T>,
  args: ConnectionArgs,
  since: Date | null | undefined,
  params: Parameters,
  where: string[],
): Promise<ConnectionResult<T>> {
  const first = pageSize(args.first);
  const after = args.after ? cursorValues(args.after, page.ordering).map(String) : null;
  // Read before the page, in a statement of its own: see readSyncHorizon.
  const horizon = await readSyncHorizon(ctx.db);
  const tenant = tenantOf(ctx);
  const list = tenant === null ? null : params.add(tenant);
  const a = page.alias;
  const conditions = [...where, `changed.at < CAST(${params.add(horizon)} AS timestamptz)`];
  if (since) conditions.push(`changed.at >= CAST(${params.add(since.toISOString())} AS timestamptz)`);
  if (after) conditions.push(`(changed.at, ${a}.id) > (CAST(${params.add(after[0])} AS timestamptz), CAST(${params.add(after[1])} AS uuid))`);
  // Only what changed from where the page starts on is looked at, each table through its index.
  const from = [since?.toISOString(), after?.[0]].filter((t): t is string => Boolean(t)).sort((x, y) => Date.parse(y) - Date.parse(x))[0];
  if (from) conditions.push(`${a}.id IN (${page.changedSince(`CAST(${params.add(from)} AS timestamptz)`, list)})`);
  const columns = entityColumns(ctx.db.connection.getMetadata(page.entity));
  // OFFSET 0 keeps the change time a subquery of its own, worked out once per row: pulled up into
  // the query, it would be worked out again for each condition, the sort and the result.
  const text = `SELECT ${columns.map(([column]) => `${a}."${column}"`).join(", ")}, changed.at
    FROM ${page.from} ${a} CROSS JOIN LATERAL (SELECT ${page.changedAt(a, list)} AS at OFFSET 0) changed
    WHERE ${conditions.join(" AND ")}
    ORDER BY changed.at, ${a}.id LIMIT ${params.add(first + 1)}`;
  const rows = (await sqlArrays(ctx.db, text, params.values)).map((values) => {
    // Every column is read, so the rows are whole entities (as rowsOf reads them), with their change time beside.
    const row = Object.create(page.entity.prototype) as Record<string, unknown>;
    columns.forEach(([, property], i) => (row[property] = values[i]));
    changeTimes.set(row, values[columns.length] as Date);
    return row as T;
  });
  return toConnection(rows, first, Boolean(after), page.ordering);
}

/**
 * A page of the products `filtered` keeps (a query of products aliased `p`, with the list's
 * filters), in change order for the caller, changed at or after `since`, up to the sync horizon.
 */
export function productChanges(ctx: RequestContext, filtered: SelectQueryBuilder<Product>, args: ConnectionArgs, since: Date | null | undefined): Promise<ConnectionResult<Product>> {
  const [kept, values] = filtered.select("p.id").getQueryAndParameters();
  return changePage(
    ctx,
    { from: "products", alias: "sync_p", entity: Product, ordering: PRODUCT_CHANGES, changedAt: productChangedAt, changedSince: productsChangedSince },
    args,
    since,
    new Parameters([...values]),
    [`sync_p.id IN (${kept})`],
  );
}

/** Narrows a product list in another order to the products changed, for the caller, at or after `since`. */
export function keepProductsChangedSince(ctx: RequestContext, qb: SelectQueryBuilder<Product>, since: Date): void {
  const tenant = tenantOf(ctx);
  const list = tenant === null ? null : ":syncPriceList";
  qb.andWhere(`p.id IN (${productsChangedSince("CAST(:syncSince AS timestamptz)", list)})`)
    .andWhere(`${productChangedAt("p", list)} >= CAST(:syncSince AS timestamptz)`)
    .setParameters({ syncSince: since.toISOString(), ...(tenant === null ? {} : { syncPriceList: tenant }) });
}

export interface VariantSyncFilter {
  updatedSince?: Date | null;
  skus?: string[] | null;
}

/** A page of variants in change order for the caller (of the SKUs given, if any), changed at or after `updatedSince`, up to the sync horizon. */
export function variantChanges(ctx: RequestContext, args: ConnectionArgs, filter: VariantSyncFilter | null | undefined): Promise<ConnectionResult<Variant>> {
  const f = filter ?? {};
  const params = new Parameters();
  const where: string[] = [];
  if (f.skus) {
    if (f.skus.length > MAX_SYNC_SKUS) throw new BadUserInputError("filter", `filter.skus may hold at most ${MAX_SYNC_SKUS} SKUs, got ${f.skus.length}`);
    const skus = [...new Set(f.skus.map((sku) => sku.trim().toUpperCase()))];
    where.push(`sync_v.sku = ANY(${params.add(skus)})`);
  }
  return changePage(
    ctx,
    { from: "variants", alias: "sync_v", entity: Variant, ordering: VARIANT_CHANGES, changedAt: variantChangedAt, changedSince: variantsChangedSince },
    args,
    f.updatedSince,
    params,
    where,
  );
}

// `changedAt` of objects read otherwise (by id, in another list): one statement per batch, per price list.
const STAFF_LISTS = "*";

function changeTimesOf(ctx: RequestContext, scope: string, table: string, changedAt: (alias: string, list: PriceList) => string) {
  const staff = scope === STAFF_LISTS;
  const text = `SELECT o.id, ${changedAt("o", staff ? null : "$2")} AS at FROM ${table} o WHERE o.id = ANY($1)`;
  return batchLoader(async (ids: readonly string[]) => {
    const rows = await sql<{ id: string; at: Date }>(ctx.db, text, staff ? [ids] : [ids, scope]);
    const byId = new Map(rows.map((r) => [r.id, r.at]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

const productChangedAtById: ScopedLoaderFactory<string, Date | null> = (ctx, scope) => changeTimesOf(ctx, scope, "products", productChangedAt);
const variantChangedAtById: ScopedLoaderFactory<string, Date | null> = (ctx, scope) => changeTimesOf(ctx, scope, "variants", variantChangedAt);

const priceListScope = (ctx: RequestContext): string => tenantOf(ctx) ?? STAFF_LISTS;

function found(at: Date | null): Date {
  if (!at) throw new Error("the change time of a catalog object that is not there");
  return at;
}

/** When what the caller sees of the product last changed; at once for a product of a sync page. */
export function productChangedAtFor(ctx: RequestContext, product: Product): Date | Promise<Date> {
  return changeTimes.get(product) ?? scopedLoader(ctx, productChangedAtById, priceListScope(ctx)).load(product.id).then(found);
}

/** When what the caller sees of the variant last changed; at once for a variant of a sync page. */
export function variantChangedAtFor(ctx: RequestContext, variant: Variant): Date | Promise<Date> {
  return changeTimes.get(variant) ?? scopedLoader(ctx, variantChangedAtById, priceListScope(ctx)).load(variant.id).then(found);
}
