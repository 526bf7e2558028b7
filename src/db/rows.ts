import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, QueryRunner, SelectQueryBuilder } from "typeorm";
import { DriverUtils } from "typeorm/driver/DriverUtils";
import type { Projection } from "../graphql/projection";

// TypeORM's getMany() turns each raw row into an entity through a generic, metadata-driven
// transformer; for the pages and loader batches of a GraphQL response (hundreds of rows each)
// that hydration costs more CPU than the rest of the request. A query of one table (no joins)
// needs none of it: pg already gives every value in the form the entity holds (numeric and
// bigint as strings, date as YYYY-MM-DD, timestamptz as Date, jsonb parsed).

type Mapping = [rawKey: string, property: string][];
type Reader = (raw: Record<string, unknown>) => ObjectLiteral;

/**
 * A function that copies a raw row's values (under `rawKey`) to a new object with the entity's
 * prototype (so getters such as Node's global id work; its constructor is not run), one property
 * per column. It is generated once per mapping, with the keys written out: a copy of fixed keys
 * costs a fraction of a loop over the mapping, which looks each key up anew on every row.
 */
function readerOf(metadata: EntityMetadata, mapping: Mapping): Reader {
  const body = mapping.map(([key, property]) => `this[${JSON.stringify(property)}] = raw[${JSON.stringify(key)}];`).join("\n");
  const Row = new Function("raw", body) as { new (raw: Record<string, unknown>): ObjectLiteral; prototype: object };
  Row.prototype = partialPrototype(metadata, new Set(mapping.map(([, property]) => property)));
  return (raw) => new Row(raw);
}

/**
 * The entity's prototype for rows with every column; for rows of a projection, one below it on
 * which each column left out throws when read (a field whose projection is short fails instead
 * of answering null) and becomes an ordinary property when written.
 */
function partialPrototype(metadata: EntityMetadata, selected: ReadonlySet<string>): object {
  const prototype = (metadata.target as { prototype: object }).prototype;
  const left = metadata.columns.filter((c) => c.isSelect && !selected.has(c.propertyName)).map((c) => c.propertyName);
  if (left.length === 0) return prototype;
  return Object.create(
    prototype,
    Object.fromEntries(
      left.map((property) => [
        property,
        {
          configurable: true,
          get(): never {
            throw new Error(`${metadata.name}.${property} was not selected: the field that reads it must list it in its entity's rowFields`);
          },
          set(this: object, value: unknown) {
            Object.defineProperty(this, property, { value, writable: true, enumerable: true, configurable: true });
          },
        },
      ]),
    ),
  );
}

function plainColumns(metadata: EntityMetadata, key: (databaseName: string) => string, projection: Projection | null = null): Mapping {
  const wanted = projection && new Set(projection.properties);
  return metadata.columns
    .filter((column) => column.isSelect && (!wanted || wanted.has(column.propertyName)))
    .map((column) => {
      if (column.embeddedMetadata || column.relationMetadata) throw new Error(`rows of ${metadata.name} are read from plain columns only, not ${column.propertyPath}`);
      return [key(column.databaseName), column.propertyName];
    });
}

// Projections come from clients' selections, so the readers kept per entity are bounded: past
// this many, the entity's are dropped and made again as asked.
const MAX_READERS_PER_ENTITY = 256;

/** What `make` gives for an entity and a key, made once (while the entity's cache is not full). */
function memo<V>(cache: WeakMap<EntityMetadata, Map<string, V>>, metadata: EntityMetadata, key: string, make: () => V): V {
  let byKey = cache.get(metadata);
  if (!byKey) cache.set(metadata, (byKey = new Map()));
  let value = byKey.get(key);
  if (value === undefined) {
    if (byKey.size >= MAX_READERS_PER_ENTITY) byKey.clear();
    byKey.set(key, (value = make()));
  }
  return value;
}

const readersByAlias = new WeakMap<EntityMetadata, Map<string, Reader>>();

function aliasReader(qb: SelectQueryBuilder<ObjectLiteral>, metadata: EntityMetadata, alias: string, projection: Projection | null): Reader {
  return memo(readersByAlias, metadata, projection ? `${alias}|${projection.key}` : alias, () =>
    readerOf(metadata, plainColumns(metadata, (column) => DriverUtils.buildAlias(qb.dataSource.driver, undefined, alias, column), projection)),
  );
}

/**
 * The entities a single-table query selects, as getMany() would return them but without its
 * hydration: each row is an object with the entity's prototype and its column properties (those
 * of `projection` only, when one is given).
 */
export async function rowsOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, projection: Projection | null = null): Promise<T[]> {
  const main = qb.expressionMap.mainAlias;
  if (!main?.hasMetadata || qb.expressionMap.joinAttributes.length > 0 || qb.expressionMap.selects.length !== 1) {
    throw new Error("rowsOf() takes a query of one entity without joins or partial selects");
  }
  const read = aliasReader(qb as SelectQueryBuilder<ObjectLiteral>, main.metadata, main.name, projection);
  if (projection) qb.select(projection.properties.map((property) => `${main.name}.${property}`));
  const raws = await rawRowsOf(qb as SelectQueryBuilder<ObjectLiteral>, main.metadata);
  return raws.map(read) as T[];
}

// Building a query builder's SQL (getQuery()) walks every select, condition and alias and
// rewrites property names with regular expressions: tens of microseconds, for statements that
// have the same text every time they are asked with the same shape. So a single-table query's
// SQL is built once per shape: what getQuery() reads of the expression map, conditions and
// parameter names included but no parameter values (those are bound anew on every call, by the
// driver, as getRawMany() binds them). Outside production every reuse is checked against a
// fresh build, so a shape that missed something getQuery() reads fails the tests at once.
const statementsByShape = new WeakMap<EntityMetadata, Map<string, string>>();
const CHECK_REUSED_STATEMENTS = process.env.NODE_ENV !== "production";

/** The runner a query builder was made on (an entity manager's), which getRawMany() would use; protected in TypeORM's types. */
const runnerOf = (qb: SelectQueryBuilder<ObjectLiteral>) => (qb as unknown as { queryRunner?: QueryRunner }).queryRunner;

function shapeOf(qb: SelectQueryBuilder<ObjectLiteral>): string | null {
  const map = qb.expressionMap;
  const main = map.mainAlias!;
  const plain =
    map.queryType === "select" &&
    !main.subQuery &&
    !map.subQuery &&
    map.aliases.length === 1 &&
    map.joinAttributes.length === 0 &&
    map.relationIdAttributes.length === 0 &&
    map.commonTableExpressions.length === 0 &&
    map.lockMode !== "optimistic" &&
    !map.useTransaction &&
    !qb.dataSource.queryResultCache &&
    runnerOf(qb) !== undefined;
  if (!plain) return null;
  return JSON.stringify([
    main.name,
    main.tablePath,
    map.selects,
    map.selectDistinct,
    map.selectDistinctOn,
    map.wheres,
    map.extraAppendedAndWhereCondition,
    map.withDeleted,
    map.groupBys,
    map.havings,
    map.orderBys,
    map.limit,
    map.offset,
    map.take,
    map.skip,
    map.lockMode,
    map.lockVersion,
    map.lockTables,
    map.onLocked,
    map.comment,
    map.aliasNamePrefixingEnabled,
    map.disableEscaping,
  ]);
}

/** The raw rows of a single-table query, as getRawMany() reads them, its SQL built once per shape. */
async function rawRowsOf(qb: SelectQueryBuilder<ObjectLiteral>, metadata: EntityMetadata): Promise<Record<string, unknown>[]> {
  qb.expressionMap.queryEntity = false; // as getRawMany() sets it before building
  const shape = shapeOf(qb);
  if (shape === null) return (await qb.getRawMany()) as Record<string, unknown>[];
  const query = memo(statementsByShape, metadata, shape, () => qb.getQuery());
  if (CHECK_REUSED_STATEMENTS) {
    const built = qb.getQuery();
    if (built !== query) throw new Error(`A reused ${metadata.name} statement differs from its query builder's:\n${query}\n${built}\nshape: ${shape}`);
  }
  const [sql, parameters] = qb.dataSource.driver.escapeQueryWithParameters(query, qb.getParameters());
  return ((await runnerOf(qb)!.query(sql, parameters, true)) as { records: Record<string, unknown>[] }).records;
}

/** The first entity a single-table query selects (as rowsOf reads it), or null. */
export async function oneOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<T | null> {
  const [row] = await rowsOf(qb.limit(1));
  return row ?? null;
}

const columnsOf = new WeakMap<EntityMetadata, Map<string, { columns: Mapping; read: Reader }>>();

function columnReader(metadata: EntityMetadata, projection: Projection | null): { columns: Mapping; read: Reader } {
  return memo(columnsOf, metadata, projection?.key ?? "*", () => {
    const columns = plainColumns(metadata, (column) => column, projection);
    return { columns, read: readerOf(metadata, columns) };
  });
}

/** The entity's columns (those of `projection`, when given) as [column name, property]: what a hand-written statement selects for it. */
export function entityColumns(metadata: EntityMetadata, projection: Projection | null = null): Mapping {
  return columnReader(metadata, projection).columns;
}

/**
 * The entities a hand-written statement selects, read as rowsOf reads a query builder's: the
 * statement selects every column of `entityColumns()` (with the same projection) under its own name.
 */
export async function rowsOfSql<T extends ObjectLiteral>(
  db: EntityManager,
  entity: EntityTarget<T>,
  sql: string,
  parameters: unknown[],
  projection: Projection | null = null,
): Promise<T[]> {
  const { read } = columnReader(db.connection.getMetadata(entity), projection);
  const raws = (await db.query(sql, parameters)) as Record<string, unknown>[];
  return raws.map(read) as T[];
}
