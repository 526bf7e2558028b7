import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import type { Projection } from "./projection";
import { sqlArrays } from "./statements";

// TypeORM's getMany() turns each raw row into an entity through a generic, metadata-driven
// transformer; for the pages and loader batches of a GraphQL response (hundreds of rows each)
// that hydration costs more CPU than the rest of the request. A query of one table (no joins)
// needs none of it: pg already gives every value in the form the entity holds (numeric and
// bigint as strings, date as YYYY-MM-DD, timestamptz as Date, jsonb parsed). So rows are read
// here as the statement gives them, each copied onto an object with the entity's prototype.

type Mapping = readonly (readonly [column: string, property: string])[];
type Reader = (values: readonly unknown[]) => ObjectLiteral;

/**
 * Copies a row's values (in the order of `mapping`) to a new object with the entity's prototype
 * (so getters such as Node's global id work; its constructor is not run), one property per column.
 */
function readerOf(metadata: EntityMetadata, mapping: Mapping): Reader {
  const prototype = partialPrototype(metadata, new Set(mapping.map(([, property]) => property)));
  const properties = mapping.map(([, property]) => property);
  return (values) => {
    const row = Object.create(prototype) as Record<string, unknown>;
    for (let i = 0; i < properties.length; i++) row[properties[i]] = values[i];
    return row;
  };
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

/** The entity's plain columns (those of `projection` only, when given) as [column name, property]. */
function plainColumns(metadata: EntityMetadata, projection: Projection | null): Mapping {
  const wanted = projection && new Set(projection.properties);
  return metadata.columns
    .filter((column) => column.isSelect && (!wanted || wanted.has(column.propertyName)))
    .map((column) => {
      if (column.embeddedMetadata || column.relationMetadata) throw new Error(`rows of ${metadata.name} are read from plain columns only, not ${column.propertyPath}`);
      return [column.databaseName, column.propertyName] as const;
    });
}

// Projections come from clients' selections, so the readers kept per entity are bounded: past
// this many, the entity's are dropped and made again as asked.
const MAX_READERS_PER_ENTITY = 256;
const readers = new WeakMap<EntityMetadata, Map<string, { columns: Mapping; read: Reader }>>();

/** The columns and reader of an entity's rows (of a projection, when given), made once per entity and projection. */
function rowReader(metadata: EntityMetadata, projection: Projection | null): { columns: Mapping; read: Reader } {
  let byKey = readers.get(metadata);
  if (!byKey) readers.set(metadata, (byKey = new Map()));
  const key = projection?.key ?? "*";
  let reader = byKey.get(key);
  if (!reader) {
    if (byKey.size >= MAX_READERS_PER_ENTITY) byKey.clear();
    const columns = plainColumns(metadata, projection);
    byKey.set(key, (reader = { columns, read: readerOf(metadata, columns) }));
  }
  return reader;
}

/** The entity's columns (those of `projection`, when given) as [column name, property]: what a statement selects for it. */
export function entityColumns(metadata: EntityMetadata, projection: Projection | null = null): Mapping {
  return rowReader(metadata, projection).columns;
}

/**
 * The entities a statement selects, read without TypeORM's hydration: each row an object with the
 * entity's prototype and its column properties (those of `projection` only, when given). The
 * statement selects every column of `entityColumns()` (with the same projection), in that order.
 */
export async function rowsOfSql<T extends ObjectLiteral>(
  db: EntityManager,
  entity: EntityTarget<T>,
  text: string,
  parameters: readonly unknown[],
  projection: Projection | null = null,
): Promise<T[]> {
  const { read } = rowReader(db.connection.getMetadata(entity), projection);
  return (await sqlArrays(db, text, parameters)).map(read) as T[];
}

/**
 * The entities of `entity` that a query of its table (built with TypeORM's query builder on `db`,
 * without joins) selects: their columns (those of `projection` only, when given), read as
 * rowsOfSql reads them.
 */
export async function rowsOf<T extends ObjectLiteral>(
  db: EntityManager,
  entity: EntityTarget<T>,
  qb: SelectQueryBuilder<T>,
  projection: Projection | null = null,
): Promise<T[]> {
  const { columns, read } = rowReader(db.connection.getMetadata(entity), projection);
  columns.forEach(([column, property], i) => (i === 0 ? qb.select(`${qb.alias}.${property}`, column) : qb.addSelect(`${qb.alias}.${property}`, column)));
  const [text, parameters] = qb.getQueryAndParameters();
  return (await sqlArrays(db, text, parameters)).map(read) as T[];
}

/** The first entity such a query selects (as rowsOf reads it), or null. */
export async function oneOf<T extends ObjectLiteral>(db: EntityManager, entity: EntityTarget<T>, qb: SelectQueryBuilder<T>): Promise<T | null> {
  const [row] = await rowsOf(db, entity, qb.limit(1));
  return row ?? null;
}
