// A projection is what a response reads of one entity's rows: the columns a statement selects.
// The GraphQL layer works it out from a query's selection (graphql/projection.ts); the loaders and
// row readers here select and read those columns only.

/** The properties of an entity's rows that a response reads, sorted, and their key; loaders compare projections by key. */
export interface Projection {
  readonly properties: readonly string[];
  /** The properties joined: what loaders are keyed by. */
  readonly key: string;
}

// Bounded like every cache fed by clients' queries: past this many, the set starts again (equal
// projections are then equal by key, which is all loaders compare).
const MAX_INTERNED = 4096;
const interned = new Map<string, Projection>();

/** The projection of these properties (the same object for the same set). */
export function projectionFrom(properties: Iterable<string>): Projection {
  const sorted = [...new Set(properties)].sort();
  const key = sorted.join(",");
  let projection = interned.get(key);
  if (!projection) {
    if (interned.size >= MAX_INTERNED) interned.clear();
    projection = Object.freeze({ properties: Object.freeze(sorted), key });
    interned.set(key, projection);
  }
  return projection;
}

/** Whether rows of `projection` (every column when null) hold every property of `needed`. */
export function covers(projection: Projection | null, needed: Projection): boolean {
  return !projection || needed.properties.every((property) => projection.properties.includes(property));
}

