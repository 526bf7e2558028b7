import { cursorValues, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSize, toConnection, type Ordering, type PageInfo, type SortKeyType } from "./connection";

interface Row {
  id: string;
  name: string;
  createdAt: Date;
}

const byName: Ordering<Row> = { name: "name", keys: [{ sql: "d.name", direction: "ASC", value: (r) => r.name }], id: "d.id" };
// Another list ordered by a key of the same name.
const productsByName: Ordering<Row> = { name: "name", keys: [{ sql: "p.name", direction: "ASC", value: (r) => r.name }], id: "p.id" };
const newest: Ordering<Row> = { name: "newest", keys: [{ sql: "d.createdAt", direction: "DESC", value: (r) => r.createdAt }], id: "d.id" };

const row = (n: number): Row => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  name: `Row ${n}`,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, n)),
});

const badCursor = { extensions: { code: "BAD_USER_INPUT", argument: "after", http: { status: 400 } } };
const encode = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { k: unknown[] } & Record<string, unknown>;

describe("pageSize", () => {
  it("defaults to 20 and allows 1 to 100", () => {
    expect(pageSize(undefined)).toBe(DEFAULT_PAGE_SIZE);
    expect(pageSize(null)).toBe(20);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(MAX_PAGE_SIZE)).toBe(100);
  });

  it.each([0, -1, 101, 1.5, Number.NaN])("refuses %p, naming `first`", (first) => {
    expect(() => pageSize(first)).toThrow(expect.objectContaining({ extensions: { code: "BAD_USER_INPUT", argument: "first" } }));
  });
});

// What GraphQL reads of a page's info: its four fields, whether properties or getters.
const info = ({ pageInfo: p }: { pageInfo: PageInfo }) => ({ hasNextPage: p.hasNextPage, hasPreviousPage: p.hasPreviousPage, startCursor: p.startCursor, endCursor: p.endCursor });

describe("toConnection", () => {
  it("keeps one page and tells from the extra row that more follow", () => {
    const page = toConnection([row(1), row(2), row(3)], 2, false, byName);
    expect(page.nodes).toEqual([row(1), row(2)]);
    expect(page.edges.map((e) => e.node)).toEqual(page.nodes);
    expect(info(page)).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: page.edges[0].cursor, endCursor: page.edges[1].cursor });
  });

  it("has no next page without the extra row, and no cursors when empty", () => {
    expect(info(toConnection([row(1), row(2)], 2, true, byName))).toMatchObject({ hasNextPage: false, hasPreviousPage: true, startCursor: expect.any(String) });
    expect(info(toConnection([], 2, true, byName))).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
  });

  it("writes cursors that read back as the row's sort keys and id", () => {
    const [edge] = toConnection([row(7)], 1, false, byName).edges;
    expect(cursorValues(edge.cursor, byName)).toEqual(["Row 7", row(7).id]);
    // Times travel as ISO strings with their milliseconds.
    const [timed] = toConnection([row(7)], 1, false, newest).edges;
    expect(cursorValues(timed.cursor, newest)).toEqual(["2026-01-01T00:00:00.007Z", row(7).id]);
  });
});

describe("cursorValues", () => {
  const cursorOf = (ordering: Ordering<Row>) => toConnection([row(1)], 1, false, ordering).edges[0].cursor;

  it("refuses a cursor of another order", () => {
    expect(() => cursorValues(cursorOf(newest), byName)).toThrow(expect.objectContaining(badCursor));
  });

  it("refuses a cursor of another list whose order has the same name", () => {
    expect(() => cursorValues(cursorOf(productsByName), byName)).toThrow(expect.objectContaining(badCursor));
    expect(() => cursorValues(cursorOf(byName), productsByName)).toThrow(expect.objectContaining(badCursor));
    expect(cursorValues(cursorOf(byName), { ...byName })).toEqual(["Row 1", row(1).id]);
  });

  it.each([
    ["empty", ""],
    ["not base64url", "a+b/c="],
    ["not JSON", Buffer.from("{nope").toString("base64url")],
    ["JSON null", encode(null)],
    ["longer than 1000 characters", "A".repeat(1001)],
  ])("refuses a cursor that is %s", (_case, cursor) => {
    expect(() => cursorValues(cursor, byName)).toThrow(expect.objectContaining(badCursor));
  });

  it("refuses a cursor whose values do not fit the order", () => {
    const real = decode(cursorOf(byName));
    for (const k of [[], ["Row 1"], ["Row 1", row(1).id, "extra"], ["Row 1", "not-a-uuid"], [null, row(1).id], [{}, row(1).id]]) {
      expect(() => cursorValues(encode({ ...real, k }), byName)).toThrow(expect.objectContaining(badCursor));
    }
    expect(cursorValues(encode(real), byName)).toEqual(["Row 1", row(1).id]);
  });
});

describe("cursorValues, against values a client made up", () => {
  const cursorOf = (ordering: Ordering<Row>) => toConnection([row(1)], 1, false, ordering).edges[0].cursor;
  const real = (ordering: Ordering<Row>) => decode(cursorOf(ordering)) as { o: string; k: unknown[] };
  const typed = (type: SortKeyType): Ordering<Row> => ({ name: `typed-${type}`, keys: [{ sql: "x.key", direction: "ASC", value: (r) => r.name, type }], id: "x.id" });
  const withKey = (ordering: Ordering<Row>, key: unknown) => encode({ o: real(ordering).o, k: [key, row(1).id] });

  it("refuses a NUL character in any value, which PostgreSQL cannot take", () => {
    expect(() => cursorValues(withKey(byName, "Row\u00001"), byName)).toThrow(expect.objectContaining(badCursor));
  });

  it("refuses what encodeCursor never writes: other members, other spacing, another base64 of the same bytes", () => {
    const { o, k } = real(byName);
    const text = JSON.stringify({ o, k });
    for (const forged of [
      encode({ o, k, extra: 1 }),
      encode({ k, o }),
      Buffer.from(text.replace(",", ", "), "utf8").toString("base64url"),
      Buffer.from(JSON.stringify({ o, k: [1.0, k[1]] }).replace("[1,", "[1.0,"), "utf8").toString("base64url"),
    ]) {
      expect(() => cursorValues(forged, byName)).toThrow(expect.objectContaining(badCursor));
    }
    expect(cursorValues(Buffer.from(text, "utf8").toString("base64url"), byName)).toEqual(k);
  });

  it.each([
    ["timestamp", ["0000-01-01T00:00:00.000Z", "2026-13-45T99:00:00.000Z", "+010000-01-01T00:00:00.000Z", "-000001-01-01T00:00:00.000Z", "1", "2026-01-01", "2026-01-01T00:00:00Z", 12], ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"]],
    ["date", ["0000-01-01", "2026-02-30", "+010000-01-01", 20260101], ["0001-01-01", "2026-02-28"]],
    ["smallint", [32768, -32769, "99999999999", 1.5, 1e300], [32767, -32768]],
    ["integer", [2 ** 31, "9999999999", 1.5], [-2147483648, 2147483647]],
    ["bigint", ["9223372036854775808", "99999999999999999999999", "-9223372036854775809", 1e25, "1e3", "0x10"], ["9223372036854775807", "1"]],
    ["uuid", ["not-a-uuid", "ABCDEF00-0000-4000-8000-000000000001"], [row(2).id, "abcdef00-0000-4000-8000-000000000001"]],
  ] as const)("refuses a %s key beyond what its column holds, and takes one as Facet writes it", (type, refused, taken) => {
    const ordering = typed(type);
    for (const value of refused) expect(() => cursorValues(withKey(ordering, value), ordering)).toThrow(expect.objectContaining(badCursor));
    for (const value of taken) expect(cursorValues(withKey(ordering, value), ordering)).toEqual([value, row(1).id]);
  });
});
