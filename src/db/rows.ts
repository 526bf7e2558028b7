import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { DriverUtils } from "typeorm/driver/DriverUtils";

// TypeORM's getMany() turns each raw row into an entity through a generic, metadata-driven
// transformer; for the pages and loader batches of a GraphQL response (hundreds of rows each)
// that hydration costs more CPU than the rest of the request. A query of one table (no joins)
// needs none of it: pg already gives every value in the form the entity holds (numeric and
// bigint as strings, date as YYYY-MM-DD, timestamptz as Date, jsonb parsed).

type Mapping = [rawKey: string, property: string][];
const mappings = new WeakMap<EntityMetadata, Map<string, Mapping>>();

function mappingOf(qb: SelectQueryBuilder<ObjectLiteral>, metadata: EntityMetadata, alias: string): Mapping {
  let byAlias = mappings.get(metadata);
  if (!byAlias) mappings.set(metadata, (byAlias = new Map()));
  let mapping = byAlias.get(alias);
  if (!mapping) {
    mapping = metadata.columns
      .filter((column) => column.isSelect)
      .map((column) => {
        if (column.embeddedMetadata || column.relationMetadata) throw new Error(`rowsOf() reads plain columns only, not ${metadata.name}.${column.propertyPath}`);
        return [DriverUtils.buildAlias(qb.dataSource.driver, undefined, alias, column.databaseName), column.propertyName];
      });
    byAlias.set(alias, mapping);
  }
  return mapping;
}

/**
 * The entities a single-table query selects, as getMany() would return them but without its
 * hydration: each row is an object with the entity's prototype (so getters such as Node's
 * global id work) and its column properties.
 */
export async function rowsOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<T[]> {
  const main = qb.expressionMap.mainAlias;
  if (!main?.hasMetadata || qb.expressionMap.joinAttributes.length > 0 || qb.expressionMap.selects.length !== 1) {
    throw new Error("rowsOf() takes a query of one entity without joins or partial selects");
  }
  const metadata = main.metadata;
  const mapping = mappingOf(qb as SelectQueryBuilder<ObjectLiteral>, metadata, main.name);
  const prototype = (metadata.target as { prototype: object }).prototype;
  const raws = (await qb.getRawMany()) as Record<string, unknown>[];
  return raws.map((raw) => {
    const row = Object.create(prototype) as Record<string, unknown>;
    for (const [key, property] of mapping) row[property] = raw[key];
    return row as T;
  });
}

/** The first entity a single-table query selects (as rowsOf reads it), or null. */
export async function oneOf<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>): Promise<T | null> {
  const [row] = await rowsOf(qb.limit(1));
  return row ?? null;
}

const columnsOf = new WeakMap<EntityMetadata, Mapping>();

/** The entity's columns as [column name, property]: what a hand-written statement selects for it. */
export function entityColumns(metadata: EntityMetadata): Mapping {
  let columns = columnsOf.get(metadata);
  if (!columns) {
    columns = metadata.columns
      .filter((column) => column.isSelect)
      .map((column) => {
        if (column.embeddedMetadata || column.relationMetadata) throw new Error(`rowsOfSql() reads plain columns only, not ${metadata.name}.${column.propertyPath}`);
        return [column.databaseName, column.propertyName];
      });
    columnsOf.set(metadata, columns);
  }
  return columns;
}

/**
 * The entities a hand-written statement selects, read as rowsOf reads a query builder's: the
 * statement selects every column of `entityColumns()` under its own name.
 */
export async function rowsOfSql<T extends ObjectLiteral>(db: EntityManager, entity: EntityTarget<T>, sql: string, parameters: unknown[]): Promise<T[]> {
  const metadata = db.connection.getMetadata(entity);
  const columns = entityColumns(metadata);
  const prototype = (metadata.target as { prototype: object }).prototype;
  const raws = (await db.query(sql, parameters)) as Record<string, unknown>[];
  return raws.map((raw) => {
    const row = Object.create(prototype) as Record<string, unknown>;
    for (const [column, property] of columns) row[property] = raw[column];
    return row as T;
  });
}
