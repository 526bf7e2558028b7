import DataLoader from "dataloader";
import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { RequestContext } from "../core/context";
import { tenantOf } from "../core/tenancy";
import { loaderBatchSize } from "../observability/metrics";
import type { Projection } from "./projection";
import { entityColumns, rowsOfSql } from "./rows";

/** Makes a request's loader; one that reads rows selects the columns of `projection` only (all when null). */
export type LoaderFactory<K, V> = (ctx: RequestContext, projection: Projection | null) => DataLoader<K, V>;

/** Makes a request's loader for one scope, such as one distributor's price list, keyed within it. */
export type ScopedLoaderFactory<K, V> = (ctx: RequestContext, scope: string) => DataLoader<K, V>;

/**
 * The request's instance of a loader for a projection, created on first use and dropped with the
 * request. Rows of different projections are kept apart: a row is never given to a reader that
 * may read a column it lacks.
 */
export function loader<K, V>(ctx: RequestContext, factory: LoaderFactory<K, V>, projection: Projection | null = null): DataLoader<K, V> {
  return instanceOf(ctx, factory, projection?.key ?? "*", () => factory(ctx, projection));
}

/** The request's instance of a loader for a scope, created on first use and dropped with the request. */
export function scopedLoader<K, V>(ctx: RequestContext, factory: ScopedLoaderFactory<K, V>, scope: string): DataLoader<K, V> {
  return instanceOf(ctx, factory, scope, () => factory(ctx, scope));
}

function instanceOf<K, V>(ctx: RequestContext, factory: Function, key: string, build: () => DataLoader<K, V>): DataLoader<K, V> {
  let byKey = ctx.loaders.get(factory);
  if (!byKey) ctx.loaders.set(factory, (byKey = new Map()));
  let instance = byKey.get(key);
  if (!instance) {
    instance = buildNamed(factory.name || "unnamed", build);
    byKey.set(key, instance);
  }
  return instance as DataLoader<K, V>;
}

// Bounds the `= ANY($1)` array of one batch.
export const MAX_BATCH_SIZE = 500;

// The loader being built (named after its factory by `loader()`), so that its batch sizes are
// reported under that name.
let building: string | undefined;

function buildNamed<T>(name: string, build: () => T): T {
  const outer = building;
  building = name;
  try {
    return build();
  } finally {
    building = outer;
  }
}

function measured<K, R>(batch: (keys: readonly K[]) => Promise<R>): (keys: readonly K[]) => Promise<R> {
  const name = building ?? "unnamed";
  return (keys) => {
    loaderBatchSize.observe({ loader: name }, keys.length);
    return batch(keys);
  };
}

/**
 * What `read` gives for the keys, read in batches of at most MAX_BATCH_SIZE keys (asked at once,
 * so they go to PostgreSQL together) and merged: for a caller holding a whole list, as a loader would
 * split it.
 */
export async function readInBatches<V>(keys: readonly string[], read: (keys: readonly string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
  if (keys.length <= MAX_BATCH_SIZE) return read(keys);
  const parts: Promise<Map<string, V>>[] = [];
  for (let i = 0; i < keys.length; i += MAX_BATCH_SIZE) parts.push(read(keys.slice(i, i + MAX_BATCH_SIZE)));
  return new Map((await Promise.all(parts)).flatMap((part) => [...part]));
}

/** A loader whose batch function answers every key itself, in the keys' order. */
export function batchLoader<K, V>(load: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(measured(load), { maxBatchSize: MAX_BATCH_SIZE });
}

/** A loader of one row per key from one `WHERE key = ANY($1)` query; missing or foreign keys give null. */
export function rowLoader<K extends string, V>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return batchLoader(async (keys) => {
    const byKey = new Map((await load(keys)).map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** A loader of all rows per key (a to-many relation) from one `WHERE key = ANY($1)` query. */
export function groupLoader<K extends string, V>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  const read = groupedReader(load, keyOf);
  return batchLoader(async (keys) => {
    const groups = await read(keys);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/** The rows of each key (a to-many relation), in the order `load` gives them: what groupLoader loads, for a caller that has the whole list at hand. */
export function groupedReader<K extends string, V>(load: (keys: readonly K[]) => Promise<V[]>, keyOf: (row: V) => K): (keys: readonly K[]) => Promise<Map<K, V[]>> {
  return async (keys) => {
    const groups = new Map<K, V[]>();
    for (const row of await load(keys)) {
      const key = keyOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return groups;
  };
}

/**
 * What a page loaded ahead for each of its items (a catalog page's variants of each product), under
 * the projection it was read with, kept for the request: the item's field, asking with the same
 * projection, finds it at once, with no loader key or promise of its own. Projections are
 * interned, so the same columns are the same object.
 */
export class LoadedAhead<P extends object, V> {
  private readonly byRequest = new WeakMap<RequestContext, Map<P, { projection: Projection | null; value: V }[]>>();

  set(ctx: RequestContext, item: P, projection: Projection | null, value: V): void {
    let items = this.byRequest.get(ctx);
    if (!items) this.byRequest.set(ctx, (items = new Map()));
    const loaded = items.get(item);
    if (loaded) loaded.push({ projection, value });
    else items.set(item, [{ projection, value }]);
  }

  get(ctx: RequestContext, item: P, projection: Projection | null): V | undefined {
    return this.byRequest.get(ctx)?.get(item)?.find((loaded) => loaded.projection === projection)?.value;
  }
}

/**
 * The rows of an entity's table whose `key` column is one of the keys, in one statement written
 * once per loader (a query builder would build its SQL anew for every batch): `$1` is the keys,
 * `where` may use `$2`… for the parameters given with them, and with `tenant` the statement keeps
 * to the caller's distributor (after those parameters), as tenantQuery() does.
 */
export function keyedRows<V extends ObjectLiteral>(
  ctx: RequestContext,
  entity: EntityTarget<V>,
  projection: Projection | null,
  statement: { from: string; key: string; where?: string; orderBy?: string; tenant?: string },
): (keys: readonly string[], ...parameters: unknown[]) => Promise<V[]> {
  const columns = entityColumns(ctx.db.connection.getMetadata(entity), projection)
    .map(([column]) => `"${column}"`)
    .join(", ");
  const tenantId = statement.tenant ? tenantOf(ctx) : null;
  let sql: string | undefined; // written on the first batch: a loader passes the same parameters to every one
  return (keys, ...parameters) => {
    const values = tenantId === null ? [keys, ...parameters] : [keys, ...parameters, tenantId];
    sql ??= `SELECT ${columns} FROM ${statement.from} WHERE ${[
      `${statement.key} = ANY($1)`,
      ...(statement.where ? [statement.where] : []),
      ...(tenantId === null ? [] : [`${statement.tenant} = $${values.length}`]),
    ].join(" AND ")}${statement.orderBy ? ` ORDER BY ${statement.orderBy}` : ""}`;
    return rowsOfSql(ctx.db, entity, sql, values, projection);
  };
}

export interface PageKey {
  parentId: string;
  /** The sort-key values (in the loader's `order`) after which, in its direction, the page starts; null for the start. */
  after: readonly string[] | null;
  /** Page size plus one, to learn whether more follow. */
  limit: number;
}

/** A sort key of a child list: its column and SQL type (for the cursor's values). */
export interface ChildOrderKey {
  column: string;
  type: "bigint" | "timestamptz";
}

const pageKeyOf = (k: PageKey) => `${k.parentId}|${k.after?.join("|") ?? ""}|${k.limit}`;

/**
 * One page of a child list for many parents in one query: rows are numbered per parent by a
 * window function over the `order` keys (all in `direction`) and each parent keeps the first
 * `limit` after its cursor. The rows are read in that one scan of the table (a second scan to
 * fetch them by id would pass each through row-level security again). `scope` adds the caller's
 * visibility rules (e.g. no internal notes), on the table's alias `t`. With a projection, its
 * columns are selected (it must hold the parent and sort keys).
 */
export function childPageLoader<V extends ObjectLiteral>(
  db: EntityManager,
  entity: EntityTarget<V>,
  projection: Projection | null,
  {
    table,
    parentColumn,
    parentKey,
    order,
    direction,
    scope,
  }: { table: string; parentColumn: string; parentKey: (row: V) => string; order: readonly ChildOrderKey[]; direction: "ASC" | "DESC"; scope?: string },
): DataLoader<PageKey, V[], string> {
  const selected = entityColumns(db.connection.getMetadata(entity), projection).map(([column]) => `"${column}"`);
  const columns = selected.map((column) => `w.${column}`).join(", ");
  const window = `row_number() OVER (PARTITION BY t.${parentColumn} ORDER BY ${order.map((k) => `t.${k.column} ${direction}`).join(", ")})`;
  // $1 the parents, $2 the limit, $3… the cursor's values.
  const position = `(${order.map((k) => `t.${k.column}`).join(", ")}) ${direction === "ASC" ? ">" : "<"} (${order.map((k, i) => `CAST($${i + 3} AS ${k.type})`).join(", ")})`;
  const sql = (after: boolean) => `SELECT ${columns} FROM (
      SELECT ${selected.map((column) => `t.${column}`).join(", ")}, ${window} AS page_position
      FROM ${table} t WHERE t.${parentColumn} = ANY($1) ${after ? `AND ${position}` : ""} ${scope ? `AND ${scope}` : ""}
    ) w WHERE w.page_position <= $2
    ORDER BY ${order.map((k) => `w.${k.column} ${direction}`).join(", ")}`;
  const first = sql(false);
  const later = sql(true);
  return new DataLoader<PageKey, V[], string>(
    measured(async (keys) => {
      const shapes = new Map<string, PageKey[]>();
      for (const key of keys) {
        const shape = `${key.after?.join("|") ?? ""}|${key.limit}`;
        const group = shapes.get(shape);
        if (group) group.push(key);
        else shapes.set(shape, [key]);
      }
      const pages = new Map<string, V[]>();
      // One statement per shape, all asked at once: they go to PostgreSQL together (see db/data-source.ts).
      await Promise.all(
        [...shapes.values()].map(async (group) => {
          const { after, limit } = group[0];
          const rows = await rowsOfSql(db, entity, after ? later : first, [group.map((k) => k.parentId), limit, ...(after ?? [])], projection);
          const byParent = new Map<string, V[]>();
          for (const row of rows) {
            const siblings = byParent.get(parentKey(row));
            if (siblings) siblings.push(row);
            else byParent.set(parentKey(row), [row]);
          }
          for (const key of group) pages.set(pageKeyOf(key), byParent.get(key.parentId) ?? []);
        }),
      );
      return keys.map((k) => pages.get(pageKeyOf(k)) ?? []);
    }),
    { maxBatchSize: MAX_BATCH_SIZE, cacheKeyFn: pageKeyOf },
  );
}
