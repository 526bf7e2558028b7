import { buildSchema, GraphQLError, Kind, parse, type OperationDefinitionNode } from "graphql";
import { ErrorCode } from "./errors";
import { enforceLimits, LIMITS, LIST_SIZES, measureOperation, objectsInAnswer, type OperationShape } from "./limits";

// A schema of the shapes Facet's has: a connection, plain lists named as in LIST_SIZES
// (Product.variants, Order.lines, Query.nodes), an interface, a field returning its own type.
const schema = buildSchema(`
  interface Node { id: ID! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Variant implements Node { id: ID! sku: String! product: Product! }
  type Product implements Node { id: ID! name: String! variants: [Variant!]! self: Product! }
  type OrderLine { sku: String! }
  type Order implements Node { id: ID! lines: [OrderLine!]! }
  type ProductEdge { cursor: String! node: Product! }
  type ProductConnection { edges: [ProductEdge!]! nodes: [Product!]! pageInfo: PageInfo! }
  type Query {
    products(first: Int = 7, after: String): ProductConnection!
    nodes(ids: [ID!]!): [Node]!
    node(id: ID!): Node
  }
`);

const measure = (query: string, variables: Record<string, unknown> = {}): OperationShape => {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, document, operation, variables);
};

const VARIANTS = LIST_SIZES["Product.variants"].size;
const LINES = LIST_SIZES["Order.lines"].size;

/** A document whose fragments each spread the next one twice (`spreads`), `levels` deep, on `type`. */
function fragmentBomb(levels: number, type: string, spreads: (next: string) => string): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on ${type} { ${spreads(`F${i + 1}`)} }`);
  const root = type === "Query" ? "{ ...F0 }" : '{ node(id: "a") { ...F0 } }';
  return `${root} ${fragments.join(" ")} fragment F${levels} on ${type} { __typename }`;
}

describe("measureOperation", () => {
  it("prices each object a field may return at 1 at least, and scalars at nothing", () => {
    expect(measure('{ node(id: "a") { id } }')).toMatchObject({ cost: 1, depth: 2 });
    // One object per id: 3, not 1.
    expect(measure('{ nodes(ids: ["a", "b", "c"]) { id } }')).toMatchObject({ cost: 3, ids: 3 });
    expect(measure("query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: Array(100).fill("a") }).cost).toBe(100);
    // Ids not known before the operation runs count as the most it may take.
    expect(measure("query($ids: [ID!]!) { nodes(ids: $ids) { id } }").cost).toBe(LIST_SIZES["Query.nodes"].size);
    expect(measure('{ nodes(ids: []) { id } }').cost).toBe(1);
  });

  it("multiplies what a connection's nodes and edges select by its page, and a plain list by its declared size", () => {
    // products 1 + pageInfo 1 + 10 nodes
    expect(measure("{ products(first: 10) { nodes { id } pageInfo { hasNextPage } } }").cost).toBe(12);
    // An edge and its node are two objects.
    expect(measure("{ products(first: 10) { edges { cursor node { id } } } }").cost).toBe(21);
    expect(measure("{ products(first: 10) { nodes { variants { sku } } } }").cost).toBe(1 + 10 * (1 + VARIANTS));
    // A fragment on the connection is multiplied by the page of each connection it is spread in.
    const page = "fragment Page on ProductConnection { nodes { id } pageInfo { endCursor } }";
    expect(measure(`{ a: products(first: 5) { ...Page } b: products(first: 50) { ...Page } } ${page}`).cost).toBe(1 + 1 + 5 + (1 + 1 + 50));
    // A page beyond the largest is refused when it runs; it costs the largest.
    expect(measure("{ products(first: 1000) { nodes { id } } }").cost).toBe(101);
  });

  it("takes arguments as the operation runs them: variables sent, the variables' defaults, the schema's defaults", () => {
    const query = "query($n: Int = 100) { products(first: $n) { nodes { id } } }";
    expect(measure(query).cost).toBe(101);
    expect(measure(query, { n: 5 }).cost).toBe(6);
    // `first: null` is the default page (pageSize(null)), 20.
    expect(measure(query, { n: null }).cost).toBe(21);
    // A variable neither sent nor defaulted leaves the argument unset: the schema's default (7).
    expect(measure("query($n: Int) { products(first: $n) { nodes { id } } }").cost).toBe(8);
    expect(measure("{ products { nodes { id } } }").cost).toBe(8);
    const ids = 'query($ids: [ID!]! = ["a", "b"]) { nodes(ids: $ids) { id } }';
    expect(measure(ids)).toMatchObject({ cost: 2, ids: 2 });
    expect(measure(ids, { ids: ["a", "b", "c", "d"] })).toMatchObject({ cost: 4, ids: 4 });
  });

  it("measures a document asked again once, unless the variables it reads differ", () => {
    const document = parse(`query($n: Int, $after: String, $skip: Boolean!) { products(first: $n, after: $after) { nodes { id variants @skip(if: $skip) { id } } } }`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    const first = measureOperation(schema, document, operation, { n: 10, after: "a", skip: false });
    // Another cursor does not change the cost: the same measurement is given back.
    expect(measureOperation(schema, document, operation, { n: 10, after: "b", skip: false })).toBe(first);
    // Another page size, or a skipped branch, does.
    expect(measureOperation(schema, document, operation, { n: 20, after: "a", skip: false }).cost).toBe(1 + 20 * (1 + VARIANTS));
    expect(measureOperation(schema, document, operation, { n: 10, after: "a", skip: true }).cost).toBe(1 + 10);
    expect(measureOperation(schema, document, operation, { n: 10, after: "c", skip: false })).toBe(first);
    expect(first.cost).toBe(1 + 10 * (1 + VARIANTS));
  });

  it("leaves out what @skip and @include leave out", () => {
    const query = "query($full: Boolean = false) { products(first: 50) @include(if: $full) { nodes { id } } node(id: \"a\") { id } }";
    expect(measure(query).cost).toBe(1);
    expect(measure(query, { full: true }).cost).toBe(52);
    expect(measure('{ products(first: 50) @skip(if: true) { nodes { id } } node(id: "a") { id } }').cost).toBe(1);
  });

  it("counts the dearest of the branches of an interface, which exclude each other", () => {
    const query = '{ nodes(ids: ["a", "b"]) { id ... on Product { name } ... on Order { lines { sku } } ...ProductVariants } } fragment ProductVariants on Product { variants { sku } }';
    // Each id is an Order (1 + its lines) or a Product (1 + its variants), never both.
    expect(measure(query).cost).toBe(2 * (1 + Math.max(LINES, VARIANTS)));
    expect(measure('{ nodes(ids: ["a", "b"]) { ... on Product { variants { sku } } } }').cost).toBe(2 * (1 + VARIANTS));
  });

  it("measures each fragment once: a fragment bomb is walked in linear time", () => {
    // Each fragment spreads the next one twice: 2^24 spreads when walked naively. Execution
    // collects a fragment once per selection set, and so does the measurement.
    const bomb = fragmentBomb(24, "Query", (next) => `...${next} ...${next}`);
    expect(bomb.length).toBeLessThan(1024);
    const shape = measure(bomb);
    expect(shape.visited).toBeLessThanOrEqual(2 * 25 + 2);
    expect(shape.cost).toBe(1);
    const deeper = measure(fragmentBomb(200, "Query", (next) => `...${next} ...${next}`));
    expect(deeper.visited).toBeLessThanOrEqual(2 * 201 + 2);
    expect(deeper.cost).toBe(1);
  });

  it("prices a document whose fragments really multiply, in linear time, and refuses it", () => {
    // Under two aliases each level resolves the next one twice: 2^17 - 1 products.
    const shape = measure(fragmentBomb(16, "Product", (next) => `a: self { ...${next} } b: self { ...${next} }`));
    expect(shape.visited).toBeLessThanOrEqual(4 * 17 + 2);
    expect(shape.cost).toBe(2 ** 17 - 1);
    expect(() => enforceLimits(shape)).toThrow(/levels deep/);
    expect(shape.aliases).toBe(32);
    expect(() => enforceLimits({ ...shape, depth: 1, aliases: 0 })).toThrow(new RegExp(`may cost ${shape.cost} points; at most ${LIMITS.maxCost}`));
    // However far it multiplies, the cost stays a finite number.
    expect(measure(fragmentBomb(60, "Product", (next) => `a: self { ...${next} } b: self { ...${next} }`)).cost).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("stops a chain of fragments deeper than any query before it exhausts the stack, as too deep", () => {
    const shape = measure(fragmentBomb(5000, "Product", (next) => `self { ...${next} }`));
    expect(shape.depth).toBeGreaterThan(LIMITS.maxDepth);
    expect(shape.visited).toBeLessThan(1100);
    expect(() => enforceLimits(shape)).toThrow(/The query nests \d+ levels deep; at most 12 are allowed/);
  });

  it("stops at a fragment cycle, which validation reports", () => {
    const shape = measure('{ ...A } fragment A on Query { ...B node(id: "a") { id } } fragment B on Query { ...A }');
    expect(shape).toMatchObject({ cost: 1 });
    expect(shape.visited).toBeLessThan(10);
  });

  it("counts aliases and directives once per place in the document, however often a fragment is spread", () => {
    const query = '{ x: node(id: "1") { ...F @include(if: true) } y: node(id: "2") { ...F } } fragment F on Node { a: id @include(if: true) b: id }';
    expect(measure(query)).toMatchObject({ aliases: 4, directives: 2 });
  });

  it("refuses a document with more selections than the walk visits", () => {
    const fields = Array.from({ length: LIMITS.maxSelections }, () => "id").join(" ");
    const shape = measure(`{ node(id: "a") { ${fields} } }`);
    expect(shape.visited).toBe(LIMITS.maxSelections + 1);
    expect(() => enforceLimits(shape)).toThrow(`The query has more than ${LIMITS.maxSelections} selections (each fragment counted once); at most ${LIMITS.maxSelections} are allowed`);
    expect(() => enforceLimits(measure(`{ node(id: "a") { ${fields.slice(3)} } }`))).not.toThrow();
  });
});

describe("objectsInAnswer", () => {
  it("counts the objects of an answer through aliases, fragments and lists, its data object aside", () => {
    const document = parse(`{ products(first: 3) { nodes { ...P } } one: node(id: "a") { ... on Product { variants { id } } } } fragment P on Product { id variants { id product { id } } }`);
    const operation = document.definitions[0] as OperationDefinitionNode;
    // A prototype-less object, as graphql-jit builds its answers.
    const bare = (fields: Record<string, unknown>) => Object.assign(Object.create(null), fields);
    const variant = (id: string) => bare({ id, product: bare({ id: "p" }) });
    const data = bare({
      products: bare({ nodes: [bare({ id: "p1", variants: [variant("v1"), variant("v2")] }), bare({ id: "p2", variants: [] }), null] }),
      one: bare({ variants: [bare({ id: "v3" })] }),
    });
    // products 1 + nodes (p1 1 + 2 × (variant 1 + product 1) + p2 1) + one 1 + its variant 1
    expect(objectsInAnswer(document, operation, data)).toBe(1 + (1 + 4 + 1) + 1 + 1);
    expect(objectsInAnswer(document, operation, bare({ products: null, one: null }))).toBe(0);
  });
});

describe("enforceLimits", () => {
  const within: OperationShape = { cost: 1, depth: 2, aliases: 0, directives: 0, introspection: false, ids: 0, visited: 2, surcharge: 0 };
  const refusal = (shape: Partial<OperationShape>): GraphQLError => {
    try {
      enforceLimits({ ...within, ...shape });
    } catch (error) {
      return error as GraphQLError;
    }
    throw new Error(`not refused: ${JSON.stringify(shape)}`);
  };

  it("names the limit and the measured value in each refusal, the selections visited included", () => {
    const cases: [Partial<OperationShape>, string, string][] = [
      [{ visited: LIMITS.maxSelections + 1 }, "The query has more than 5000 selections (each fragment counted once); at most 5000 are allowed", ErrorCode.QUERY_TOO_COMPLEX],
      [{ depth: 13 }, "The query nests 13 levels deep; at most 12 are allowed", ErrorCode.QUERY_TOO_COMPLEX],
      [{ aliases: 31 }, "The query uses 31 aliases; at most 30 are allowed", ErrorCode.QUERY_TOO_COMPLEX],
      [{ directives: 31 }, "The query uses 31 directives; at most 30 are allowed", ErrorCode.QUERY_TOO_COMPLEX],
      [{ ids: 101 }, "`ids` may hold at most 100 ids, got 101", ErrorCode.BAD_USER_INPUT],
      [{ cost: 50_001 }, "The query may cost 50001 points; at most 50000 are allowed. Ask for smaller pages (first) or fewer nested lists", ErrorCode.QUERY_TOO_COMPLEX],
    ];
    for (const [shape, message, code] of cases) {
      const error = refusal(shape);
      expect([error.message, error.extensions.code]).toEqual([message, code]);
    }
    // At every limit, nothing is refused.
    const atLimits = { cost: LIMITS.maxCost, depth: LIMITS.maxDepth, aliases: LIMITS.maxAliases, directives: LIMITS.maxDirectives, ids: 100, visited: LIMITS.maxSelections };
    expect(() => enforceLimits({ ...within, ...atLimits })).not.toThrow();
  });
});
