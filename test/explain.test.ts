import { parse } from "graphql";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { User } from "../src/modules/accounts";
import { W1_ORDER_HISTORY, W2_CATALOG_PAGE, W2_METAL, W3_TRACKING, W4_SYNC } from "../scripts/bench/workloads";
import { userToken } from "./support/factories";
import { ok, startFacet, type TestFacet } from "./support/harness";

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
