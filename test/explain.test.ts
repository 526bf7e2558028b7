import { parse } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { QueryRunner } from "typeorm";
import { MAX_LOOKED_UP } from "../src/db/search";
import { User } from "../src/modules/accounts";
import { W1_ORDER_HISTORY, W2_CATALOG_PAGE, W2_METAL, W3_TRACKING, W4_SYNC } from "../scripts/bench/workloads";
import { createDistributor, createUser, unique, userToken } from "./support/factories";
import { ok, onRealPostgres, startFacet, type TestFacet } from "./support/harness";

// The benchmark's workloads (W1–W4) must be served by indexes on the tables that grow with the
// business. The test database is small, so the planner would rightly pick sequential scans;
// with enable_seqscan off it still picks one only when no index can serve the query at all.
const LARGE_TABLES = [
  "orders",
  "order_lines",
  "shipments",
  "tracking_events",
  "shipment_documents",
  "products",
  "variants",
  "variant_prices",
  "stock_levels",
  "production_batches",
];

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function scans(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(scans)];
}

const operation = (source: string) => parse(source) as TypedDocumentNode<any, any>;

describe("the benchmark's query shapes", () => {
  let facet: TestFacet;
  let token: string;
  let distributorId: string;
  let airwayBill: string;
  beforeAll(async () => {
    facet = await startFacet();
    // The demo distributor has orders with lines, shipments with events and documents, and prices.
    const buyer = await facet.dataSource.manager.findOneByOrFail(User, { email: "buyer@atelier-paris.example" });
    token = userToken(facet.config, buyer);
    distributorId = buyer.distributorId!;
    const [shipment] = (await facet.dataSource.query(`SELECT awb_number FROM shipments WHERE distributor_id = $1 AND awb_type = 'MASTER' LIMIT 1`, [distributorId])) as { awb_number: string }[];
    airwayBill = `${shipment.awb_number.slice(0, 3)}-${shipment.awb_number.slice(3)}`;
  });
  afterAll(() => facet.stop());

  /** The SELECTs an operation sends, as the services send them. */
  async function statementsOf(source: string, variables: Record<string, unknown>) {
    const sent = await facet.statements.during(async () => ok(await facet.gql(operation(source), variables, { token })));
    return sent.filter(({ query }) => /^\s*SELECT/i.test(query) && !/^\s*SELECT\s+set_config/i.test(query));
  }

  /** The plan of a statement run as the request runs it: as facet_rls, scoped to the distributor. */
  async function planOf(query: string, parameters: unknown[] = []): Promise<PlanNode> {
    const runner = facet.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL ROLE facet_rls`);
      await runner.query(`SELECT set_config('app.scope', 'tenant', true), set_config('app.tenant_id', $1, true)`, [distributorId]);
      await runner.query(`SET LOCAL enable_seqscan = off`);
      const [row] = (await runner.query(`EXPLAIN (FORMAT JSON) ${query}`, parameters)) as { "QUERY PLAN": { Plan: PlanNode }[] }[];
      return row["QUERY PLAN"][0].Plan;
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  const workloads: [string, () => [string, Record<string, unknown>]][] = [
    ["W1 order history", () => [W1_ORDER_HISTORY, {}]],
    ["W2 catalog page", () => [W2_CATALOG_PAGE, { metal: W2_METAL }]],
    ["W3 tracking lookup", () => [W3_TRACKING, { awb: airwayBill }]],
    ["W4 ERP sync", () => [W4_SYNC, { since: "2000-01-01T00:00:00.000Z" }]],
  ];

  it.each(workloads)("%s reads the large tables through indexes only", async (_name, shape) => {
    const [source, variables] = shape();
    const statements = await statementsOf(source, variables);
    expect(statements.length).toBeGreaterThanOrEqual(2);
    const seqScans: string[] = [];
    const tablesRead = new Set<string>();
    for (const { query, parameters } of statements) {
      for (const node of scans(await planOf(query, parameters))) {
        if (!node["Relation Name"]) continue;
        tablesRead.add(node["Relation Name"]);
        if (node["Node Type"] === "Seq Scan" && LARGE_TABLES.includes(node["Relation Name"])) {
          seqScans.push(`${node["Relation Name"]} in: ${query.replace(/\s+/g, " ").slice(0, 300)}`);
        }
      }
    }
    // The plans were really looked at: each workload reads some of the large tables.
    expect([...tablesRead].filter((t) => LARGE_TABLES.includes(t)).length).toBeGreaterThanOrEqual(2);
    expect(seqScans).toEqual([]);
  });
});

// Searches look their rows up in trigram indexes, through the IndexedSearch migration's functions:
// a request's own statements run under row-level security, where PostgreSQL cannot use those
// indexes for ILIKE. Here each function's query is planned as the function plans it (as
// facet_search, for the one pattern and tenant), with sequential scans allowed, over a
// distributor with enough orders, lines and briefs that an index is worth using. The rows are
// written in the test's own transaction and rolled back; the trigram indexes' pending entries are
// merged first (as autovacuum would), and the tables analyzed, so that the planner sees them as a
// database in use would. (ANALYZE's statistics roll back with the rows; its row counts in
// pg_class stay until autovacuum next visits, which changes no other test's results.)
describe("searches", () => {
  const ROWS = 5000;
  const NOTHING = "%qzxjv%";
  let facet: TestFacet;
  let token: string;
  let distributorId: string;
  beforeAll(async () => {
    facet = await startFacet();
    const distributor = await createDistributor(facet.dataSource);
    distributorId = distributor.id;
    token = userToken(facet.config, await createUser(facet.dataSource, { distributor }));
  });
  afterAll(() => facet.stop());

  /** Runs `work` in a transaction where the distributor has ROWS orders (a line each) and ROWS briefs, rolled back after. */
  async function withLargeTables<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = facet.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const tag = unique("XPL");
      await runner.query(
        `INSERT INTO orders (number, distributor_id, buyer_reference, currency, incoterm, estimated_ship_date, status, total, line_count)
         SELECT $2 || '-' || g, $1, 'REF-' || g, 'EUR', 'DAP', current_date, 'DELIVERED', 100, 1 FROM generate_series(1, ${ROWS}) g`,
        [distributorId, tag],
      );
      await runner.query(
        `INSERT INTO order_lines (order_id, line_number, sku, description, quantity, unit_price, line_total, from_stock, estimated_ship_date, composition)
         SELECT o.id, 1, 'SKU-' || o.number, 'A piece', 1, 100, 100, 0, current_date,
                '{"metal": "GOLD", "fineness": 750, "plating": {"type": "NONE", "karat": null, "thicknessMicrons": null}, "metalWeightGrams": "3.000", "stones": []}'
         FROM orders o WHERE o.distributor_id = $1`,
        [distributorId],
      );
      await runner.query(
        `INSERT INTO design_briefs (reference, distributor_id, title, description, category, metal, currency, quantity, status)
         SELECT $2 || '-' || g, $1, 'Signet ring ' || g, 'A signet ring in the style of sample ' || g, 'RING', 'GOLD', 'EUR', 10, 'SUBMITTED'
         FROM generate_series(1, ${ROWS}) g`,
        [distributorId, tag],
      );
      const trigramIndexes = (await runner.query(`SELECT indexrelid::regclass::text AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE '%trgm_idx' AND i.indrelid IN ('orders'::regclass, 'order_lines'::regclass, 'design_briefs'::regclass)`)) as { name: string }[];
      for (const { name } of trigramIndexes) await runner.query(`SELECT gin_clean_pending_list($1::regclass)`, [name]);
      await runner.query(`ANALYZE orders, order_lines, design_briefs`);
      return await work(runner);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /** The query a search function runs, as installed. */
  async function queryOf(runner: QueryRunner, fn: string): Promise<string> {
    const [{ prosrc }] = (await runner.query(`SELECT prosrc FROM pg_proc WHERE proname = $1`, [fn])) as { prosrc: string }[];
    return /RETURN QUERY([\s\S]*?);\s*END/.exec(prosrc)![1];
  }

  /** The scans of the plan a search function makes for `pattern` and `tenant` (null: staff). */
  async function functionScans(runner: QueryRunner, fn: string, pattern: string, tenant: string | null): Promise<PlanNode[]> {
    const query = await queryOf(runner, fn);
    await runner.query(`SET LOCAL ROLE facet_search`);
    try {
      await runner.query(`SET LOCAL plan_cache_mode = force_custom_plan`);
      const [row] = (await runner.query(`EXPLAIN (FORMAT JSON) ${query}`, [pattern, tenant, MAX_LOOKED_UP + 1])) as { "QUERY PLAN": { Plan: PlanNode }[] }[];
      return scans(row["QUERY PLAN"][0].Plan);
    } finally {
      await runner.query(`RESET ROLE`);
    }
  }

  const indexesScanned = (nodes: PlanNode[]) => nodes.filter((n) => n["Node Type"] === "Bitmap Index Scan").map((n) => n["Index Name"]);
  const seqScanned = (nodes: PlanNode[]) => nodes.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"]);

  it("look up orders by number, buyer reference and line SKU in their trigram indexes, for a distributor and for staff", async () => {
    await withLargeTables(async (runner) => {
      for (const tenant of [distributorId, null]) {
        const nodes = await functionScans(runner, "facet_search_orders", NOTHING, tenant);
        expect(indexesScanned(nodes).sort()).toEqual(["order_lines_sku_trgm_idx", "orders_buyer_reference_trgm_idx", "orders_number_trgm_idx"]);
        expect(seqScanned(nodes)).toEqual([]);
      }
    });
  });

  it("look up briefs by reference, title and description in their trigram indexes", async () => {
    await withLargeTables(async (runner) => {
      const nodes = await functionScans(runner, "facet_search_briefs", NOTHING, distributorId);
      expect(indexesScanned(nodes).sort()).toEqual(["design_briefs_description_trgm_idx", "design_briefs_reference_trgm_idx", "design_briefs_title_trgm_idx"]);
      expect(seqScanned(nodes)).toEqual([]);
    });
  });

  // The request reads its caller on a connection of its own while the test's transaction holds
  // another: the embedded database serves one at a time.
  onRealPostgres("page through text most orders hold by walking the list, each order's lines looked up by its key", async () => {
    const SEARCH = parse(`query($s: String) { orders(first: 50, filter: { search: $s }) { nodes { buyerReference } pageInfo { hasNextPage } } }`) as TypedDocumentNode<any, any>;
    await withLargeTables(async (runner) => {
      // The request's statements, in the transaction that holds the rows, as the request runs them.
      await runner.query(`SET LOCAL ROLE facet_rls`);
      await runner.query(`SELECT set_config('app.scope', 'tenant', true), set_config('app.tenant_id', $1, true)`, [distributorId]);
      const search = async (text: string) => {
        let page: any;
        const sent = await facet.statements.during(async () => (page = ok(await facet.gql(SEARCH, { s: text }, { token, context: { db: runner.manager } })).orders));
        return { page, query: sent.find(({ query }) => /FROM "orders"/.test(query))! };
      };
      // Every order's reference holds "REF": more than a lookup hands over.
      const common = await search("REF");
      expect(common.page.nodes).toHaveLength(50);
      expect(common.page.pageInfo.hasNextPage).toBe(true);
      expect(common.query.query).toMatch(/OFFSET 0/);
      const [row] = (await runner.query(`EXPLAIN (FORMAT JSON) ${common.query.query}`, common.query.parameters)) as { "QUERY PLAN": { Plan: PlanNode }[] }[];
      const nodes = scans(row["QUERY PLAN"][0].Plan);
      expect(seqScanned(nodes)).toEqual([]);
      expect(nodes.filter((n) => n["Relation Name"] === "order_lines").map((n) => n["Index Name"])).toEqual(["order_lines_order_line_key"]);
      // One order's reference: looked up.
      const one = await search("REF-4321");
      expect(one.page.nodes).toEqual([{ buyerReference: "REF-4321" }]);
      expect(one.query.query).toMatch(/"o"\."id" = ANY\(\$\d+\)/);
    });
  });

  it("read the page of orders by the ids found, under the tenant policy, without a sequential scan", async () => {
    const SEARCH = `query { orders(first: 50, filter: { search: "qzxjv" }) { nodes { id number } } }`;
    const sent = await facet.statements.during(async () => ok(await facet.gql(parse(SEARCH) as TypedDocumentNode<any, any>, {}, { token })));
    const [lookup, page] = sent.filter(({ query }) => /facet_search_orders|FROM "orders"/.test(query));
    expect(lookup.query).toMatch(/SELECT facet_search_orders\(\$1, \$2, \$3\)/);
    expect(page.query).toMatch(/"o"\."id" = ANY\(\$\d+\)/);
    await withLargeTables(async (runner) => {
      await runner.query(`SET LOCAL ROLE facet_rls`);
      await runner.query(`SELECT set_config('app.scope', 'tenant', true), set_config('app.tenant_id', $1, true)`, [distributorId]);
      const [row] = (await runner.query(`EXPLAIN (FORMAT JSON) ${page.query}`, page.parameters)) as { "QUERY PLAN": { Plan: PlanNode }[] }[];
      const nodes = scans(row["QUERY PLAN"][0].Plan);
      expect(nodes.filter((n) => n["Relation Name"] === "orders").map((n) => n["Node Type"])).not.toContain("Seq Scan");
      expect(nodes.some((n) => n["Index Name"] === "orders_pkey")).toBe(true);
    });
  });
});
