import { createHash } from "node:crypto";
import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { Brackets, type EntityManager, type EntityMetadata, type EntityTarget, type ObjectLiteral, type SelectQueryBuilder } from "typeorm";
import { rowsOf } from "../db/rows";
import { BadUserInputError } from "./errors";
import { projectionFrom, type Projection } from "../db/projection";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ simpleResolvers: true, description: "Where a page sits in its list (Relay cursor connections)." })
export class PageInfo {
  @Field(() => Boolean, { description: "True when more items follow this page; fetch them with `after: endCursor`." })
  hasNextPage: boolean;

  @Field(() => Boolean, { description: "True when this page was fetched with `after`, so items precede it." })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first item of the page; null when the page is empty." })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last item of the page; null when the page is empty." })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionResult<T> {
  edges: Edge<T>[];
  nodes: T[];
  pageInfo: PageInfo;
}

/** The `XConnection` and `XEdge` types of a node type; every list that can grow is one of these. */
export function Connection<T extends object>(nodeType: ClassType<T>, typeName: string = nodeType.name) {
  @ObjectType(`${typeName}Edge`, { simpleResolvers: true, description: `One ${typeName} in a page, with the cursor that points at it.` })
  class EdgeType {
    @Field(() => String, { description: "Opaque cursor; pass it as `after` to continue after this item." })
    cursor: string;

    @Field(() => nodeType, { description: `The ${typeName}.` })
    node: T;
  }

  @ObjectType(`${typeName}Connection`, { simpleResolvers: true, description: `A page of ${typeName} items.` })
  class ConnectionType implements ConnectionResult<T> {
    @Field(() => [EdgeType], { description: "The items of this page with their cursors." })
    edges: EdgeType[];

    @Field(() => [nodeType], { description: "The items of this page, without cursors." })
    nodes: T[];

    @Field(() => PageInfo, { description: "Whether more pages exist, and the cursors to reach them." })
    pageInfo: PageInfo;
  }

  return ConnectionType;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `How many items to return: 1 to ${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return the items after this cursor (an `endCursor` or edge `cursor` of the same list and order)." })
  after?: string | null;
}

type KeyValue = string | number;

/**
 * What a sort key's values are, so that a cursor's values are checked before they reach SQL.
 * `paginate` reads it from the column when the key is one ("alias.property"); a key of a page read
 * some other way (by `cursorValues`) names it.
 */
export type SortKeyType = "timestamp" | "date" | "smallint" | "integer" | "bigint" | "numeric" | "text" | "uuid";

export interface SortKey<T> {
  /** SQL over the query's alias; must never be NULL (wrap nullable columns in COALESCE). */
  sql: string;
  direction: "ASC" | "DESC";
  /** The same value read from a loaded row, to build its cursor. */
  value: (row: T) => KeyValue | Date;
  /** What the values are, when `sql` is not a column of the paginated entity or the page is not read by `paginate`. */
  type?: SortKeyType;
}

/**
 * A stable order for keyset pagination. The row id is always the final tie-breaker, so the
 * order is total and a page boundary can never skip or repeat a row.
 */
export interface Ordering<T> {
  /** Cursors carry this name; a cursor from another order is refused. */
  name: string;
  keys: SortKey<T>[];
  /** SQL for the row id (a uuid) over the query's alias, e.g. "u.id". */
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Orders of different lists may share a name ("name", "newest"), so a cursor names its order by
// name and by shape (the keys' SQL, directions and id): a cursor of another list is refused.
const orderingTags = new WeakMap<Ordering<any>, string>();
function orderingTag(ordering: Ordering<any>): string {
  let tag = orderingTags.get(ordering);
  if (!tag) {
    const shape = [...ordering.keys.map((k) => `${k.sql} ${k.direction}`), ordering.id].join(", ");
    tag = `${ordering.name}.${createHash("sha256").update(shape).digest("base64url").slice(0, 8)}`;
    orderingTags.set(ordering, tag);
  }
  return tag;
}

// HTTP 400: a cursor that is not one Facet wrote is made up, and must not reach SQL.
const invalidCursor = (argument = "after") => new BadUserInputError(argument, `\`${argument}\` is not a cursor of this list in this order`, { status: 400 });

function encodeCursor(ordering: Ordering<any>, values: KeyValue[]): string {
  return Buffer.from(JSON.stringify({ o: orderingTag(ordering), k: values }), "utf8").toString("base64url");
}

/**
 * The values of a cursor, only when it is exactly what encodeCursor writes for this ordering:
 * canonical base64url of UTF-8, the same JSON text (no other member, spacing or number form),
 * one value per key and the row id last. What a client makes up is refused here, as bad input,
 * rather than reaching SQL.
 */
function decodeCursor(cursor: string, ordering: Ordering<unknown>): KeyValue[] {
  if (typeof cursor !== "string" || cursor.length > 1000 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (Buffer.from(text, "utf8").toString("base64url") !== cursor) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidCursor();
  }
  const { o, k } = (parsed ?? {}) as { o?: unknown; k?: unknown };
  if (
    o !== orderingTag(ordering) ||
    !Array.isArray(k) ||
    k.length !== ordering.keys.length + 1 ||
    !k.every((v) => (typeof v === "string" && !v.includes("\u0000")) || (typeof v === "number" && Number.isFinite(v))) ||
    JSON.stringify({ o, k }) !== text ||
    !fitsType("uuid", k.at(-1))
  ) {
    throw invalidCursor();
  }
  return k as KeyValue[];
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INTEGER_LIMITS = { smallint: 2n ** 15n, integer: 2n ** 31n, bigint: 2n ** 63n };
const NUMERIC = /^-?\d{1,30}(\.\d{1,30})?$/;

/**
 * Whether a cursor value is one Facet writes for a key of this type: times as Date.toISOString()
 * writes them, in the years PostgreSQL holds (1 to 9999 in four digits); dates as YYYY-MM-DD;
 * whole numbers within the column's range; text within the column's length.
 */
function fitsType(type: SortKeyType | undefined, value: unknown, length?: number): boolean {
  switch (type) {
    case undefined:
      return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
    case "uuid":
      return typeof value === "string" && UUID.test(value);
    case "timestamp":
      return typeof value === "string" && ISO_TIMESTAMP.test(value) && !value.startsWith("0000") && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;
    case "date":
      return typeof value === "string" && ISO_DATE.test(value) && !value.startsWith("0000") && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString().startsWith(value);
    case "smallint":
    case "integer":
    case "bigint": {
      const digits = typeof value === "number" ? (Number.isSafeInteger(value) ? String(value) : "") : typeof value === "string" ? value : "";
      if (!/^-?\d{1,19}$/.test(digits)) return false;
      const n = BigInt(digits);
      return n >= -INTEGER_LIMITS[type] && n < INTEGER_LIMITS[type];
    }
    case "numeric":
      return typeof value === "string" ? NUMERIC.test(value) : typeof value === "number" && Number.isFinite(value);
    case "text":
      return typeof value === "string" && (length === undefined || value.length <= length);
  }
}

const COLUMN_TYPES: Record<string, SortKeyType> = {
  uuid: "uuid",
  timestamptz: "timestamp",
  timestamp: "timestamp",
  "timestamp with time zone": "timestamp",
  "timestamp without time zone": "timestamp",
  date: "date",
  smallint: "smallint",
  int2: "smallint",
  integer: "integer",
  int: "integer",
  int4: "integer",
  number: "integer",
  bigint: "bigint",
  int8: "bigint",
  numeric: "numeric",
  decimal: "numeric",
  varchar: "text",
  "character varying": "text",
  text: "text",
  char: "text",
  character: "text",
  citext: "text",
  string: "text",
};

/** The type and length of a key that is a plain column of the entity ("alias.property"), if it is one. */
function columnOf(metadata: EntityMetadata, alias: string, sql: string): { type?: SortKeyType; length?: number } {
  const match = /^(\w+)\.(\w+)$/.exec(sql);
  const column = match && match[1] === alias ? metadata.findColumnWithPropertyName(match[2]) : undefined;
  if (!column) return {};
  const name = typeof column.type === "function" ? column.type.name.toLowerCase() : String(column.type).toLowerCase();
  const length = Number(column.length);
  return { type: COLUMN_TYPES[name], length: Number.isInteger(length) && length > 0 ? length : undefined };
}

/** The cursor's values, each checked against what its key holds. */
function checkedValues(after: string, ordering: Ordering<unknown>, columns: readonly { type?: SortKeyType; length?: number }[] = []): KeyValue[] {
  const values = decodeCursor(after, ordering);
  const fits = ordering.keys.every((key, i) => {
    const column = columns[i] ?? {};
    return fitsType(key.type ?? column.type, values[i], column.length);
  });
  if (!fits) throw invalidCursor();
  return values;
}

export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError("first", `\`first\` must be between 1 and ${MAX_PAGE_SIZE}, got ${size}`);
  }
  return size;
}

/** The sort-key values an `after` cursor points at, checked against the ordering and its keys' types. */
export function cursorValues<T>(after: string, ordering: Ordering<T>): KeyValue[] {
  return checkedValues(after, ordering as Ordering<unknown>);
}

const cursorOf = <T extends { id: string }>(ordering: Ordering<T>, node: T): string =>
  encodeCursor(ordering, [
    ...ordering.keys.map((k) => {
      const v = k.value(node);
      return v instanceof Date ? v.toISOString() : v;
    }),
    node.id,
  ]);

// Classes rather than object literals with getters: a literal's accessors are defined anew on
// every object, and an order page makes one connection per shipment.
class LazyPageInfo<T extends { id: string }> implements PageInfo {
  constructor(
    private readonly page: T[],
    private readonly ordering: Ordering<T>,
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
  ) {}

  get startCursor(): string | null {
    return this.page.length ? cursorOf(this.ordering, this.page[0]) : null;
  }

  get endCursor(): string | null {
    return this.page.length ? cursorOf(this.ordering, this.page[this.page.length - 1]) : null;
  }
}

class LazyConnection<T extends { id: string }> implements ConnectionResult<T> {
  readonly pageInfo: PageInfo;

  constructor(
    readonly nodes: T[],
    private readonly ordering: Ordering<T>,
    hasNextPage: boolean,
    hasPreviousPage: boolean,
  ) {
    this.pageInfo = new LazyPageInfo(nodes, ordering, hasNextPage, hasPreviousPage);
  }

  get edges(): Edge<T>[] {
    return this.nodes.map((node) => ({ node, cursor: cursorOf(this.ordering, node) }));
  }
}

/**
 * A connection from rows fetched in order with one extra row beyond the page (which only tells
 * whether more follow). Edges and cursors are made only when asked for: most clients read `nodes`,
 * and a nested list's page info is seldom read.
 */
export function toConnection<T extends { id: string }>(rows: T[], first: number, hadAfter: boolean, ordering: Ordering<T>): ConnectionResult<T> {
  return new LazyConnection(rows.length > first ? rows.slice(0, first) : rows, ordering, rows.length > first, hadAfter);
}

/** The projection with the page's sort keys (cursors are made of them); every column when a key is not one. */
function withSortKeys(projection: Projection | null, keys: readonly { sql: string }[], alias: string): Projection | null {
  if (!projection) return null;
  const properties: string[] = [];
  for (const { sql } of keys) {
    const match = /^(\w+)\.(\w+)$/.exec(sql);
    if (!match || match[1] !== alias) return null;
    properties.push(match[2]);
  }
  return projectionFrom([...projection.properties, ...properties]);
}

/**
 * One page of a keyset-paginated query: `WHERE (k1, …, id) > cursor ORDER BY k1, …, id LIMIT n+1`,
 * expanded so that each key may sort in its own direction. The query must not join to-many
 * relations (load children through DataLoaders instead).
 */
export async function paginate<T extends ObjectLiteral & { id: string }>(
  db: EntityManager,
  entity: EntityTarget<T>,
  qb: SelectQueryBuilder<T>,
  args: ConnectionArgs,
  ordering: Ordering<T>,
  projection: Projection | null = null,
): Promise<ConnectionResult<T>> {
  const first = pageSize(args.first);
  const keys = [...ordering.keys.map((k) => ({ sql: k.sql, direction: k.direction })), { sql: ordering.id, direction: "ASC" as const }];

  if (args.after) {
    const metadata = db.connection.getMetadata(entity);
    const values = checkedValues(
      args.after,
      ordering as Ordering<unknown>,
      ordering.keys.map((key) => columnOf(metadata, qb.alias, key.sql)),
    );
    qb.andWhere(
      new Brackets((or) => {
        keys.forEach((key, i) => {
          or.orWhere(
            new Brackets((and) => {
              for (let j = 0; j < i; j++) and.andWhere(`${keys[j].sql} = :cursor${j}`);
              and.andWhere(`${key.sql} ${key.direction === "ASC" ? ">" : "<"} :cursor${i}`);
            }),
          );
        });
      }),
      Object.fromEntries(values.map((v, i) => [`cursor${i}`, v])),
    );
  }
  keys.forEach((key, i) => (i === 0 ? qb.orderBy(key.sql, key.direction) : qb.addOrderBy(key.sql, key.direction)));
  const rows = await rowsOf(db, entity, qb.limit(first + 1), withSortKeys(projection, keys, qb.alias));
  return toConnection(rows, first, Boolean(args.after), ordering);
}
