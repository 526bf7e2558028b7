import { ALL_SCOPES, ApiScope, ANYONE, SIGNED_IN } from "../src/core/access";
import { nodeReaders, registeredNodeTypes, toGlobalId } from "../src/graphql/node";
import { Distributor } from "../src/modules/accounts";
import { NodeAccessShipmentOrderDocument, NodesDocument } from "./generated/graphql";
import { clientToken, createApiClient } from "./support/factories";
import { ok, startFacet, type TestFacet } from "./support/harness";

// node(id:) and nodes(ids:) are open to every signed-in caller, so each node type names who may
// read it, and an API client without that type's read scope finds nothing there, exactly as
// through the type's own queries.

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

// One row of each type that belongs to the demo distributor Atelier Paris.
const OWN_ROWS: Record<string, string> = {
  Distributor: "SELECT id FROM distributors WHERE code = 'atelier-paris'",
  User: "SELECT u.id FROM users u JOIN distributors d ON d.id = u.distributor_id WHERE d.code = 'atelier-paris' ORDER BY u.email LIMIT 1",
  ApiClient: "SELECT c.id FROM api_clients c JOIN distributors d ON d.id = c.distributor_id WHERE d.code = 'atelier-paris' ORDER BY c.created_at LIMIT 1",
  Product: "SELECT id FROM products ORDER BY style_code LIMIT 1",
  Variant: "SELECT id FROM variants ORDER BY sku LIMIT 1",
  Order: "SELECT o.id FROM orders o JOIN distributors d ON d.id = o.distributor_id WHERE d.code = 'atelier-paris' ORDER BY o.number LIMIT 1",
  DesignBrief: "SELECT b.id FROM design_briefs b JOIN distributors d ON d.id = b.distributor_id WHERE d.code = 'atelier-paris' ORDER BY b.reference LIMIT 1",
  Shipment: "SELECT s.id FROM shipments s JOIN distributors d ON d.id = s.distributor_id WHERE d.code = 'atelier-paris' ORDER BY s.created_at LIMIT 1",
  ShipmentFeedback: "SELECT f.id FROM shipment_feedback f JOIN distributors d ON d.id = f.distributor_id WHERE d.code = 'atelier-paris' ORDER BY f.created_at LIMIT 1",
  WebhookEndpoint: "SELECT w.id FROM webhook_endpoints w JOIN distributors d ON d.id = w.distributor_id WHERE d.code = 'atelier-paris' ORDER BY w.created_at LIMIT 1",
  WebhookDelivery: "SELECT w.id FROM webhook_deliveries w JOIN distributors d ON d.id = w.distributor_id WHERE d.code = 'atelier-paris' ORDER BY w.created_at LIMIT 1",
  // An export's readers differ by kind (an API client needs the kind's read scope): the check below
  // gives a reader every scope the type names at once, which reads every kind; the test after it
  // holds an orders export to orders:read.
  BulkExport: "SELECT x.id FROM bulk_exports x JOIN distributors d ON d.id = x.distributor_id WHERE d.code = 'atelier-paris' AND x.kind = 'ORDERS' ORDER BY x.created_at LIMIT 1",
};

async function ownGlobalId(typeName: string): Promise<string> {
  const sql = OWN_ROWS[typeName];
  if (!sql) throw new Error(`no demo row named for node type ${typeName}: add one to OWN_ROWS`);
  const [row] = (await facet.dataSource.query(sql)) as { id: string }[];
  if (!row) throw new Error(`the demo data holds no ${typeName} of Atelier Paris`);
  return toGlobalId(typeName, row.id);
}

async function atelierClient(scopes: ApiScope[]) {
  const distributor = await facet.dataSource.manager.findOneByOrFail(Distributor, { code: "atelier-paris" });
  const { client } = await createApiClient(facet.dataSource, distributor, { scopes });
  return clientToken(facet.config, client);
}

describe("node(id:) for API clients", () => {
  it("names a reader rule for every node type", () => {
    for (const typeName of registeredNodeTypes()) {
      expect({ typeName, readers: nodeReaders(typeName)?.length ?? 0 }).toEqual({ typeName, readers: expect.any(Number) });
      expect(nodeReaders(typeName)!.length).toBeGreaterThan(0);
    }
  });

  it.each(registeredNodeTypes())("finds a %s of its own distributor only with a scope the type's rule names", async (typeName) => {
    const readers = nodeReaders(typeName)!;
    const id = await ownGlobalId(typeName);
    const open = readers.includes(SIGNED_IN) || readers.includes(ANYONE);
    const granted = ALL_SCOPES.filter((scope) => readers.includes(scope));
    const withheld = ALL_SCOPES.filter((scope) => !readers.includes(scope));

    if (!open) {
      expect(granted.length).toBeGreaterThan(0);
      // Every other scope at once still finds nothing, the same answer as for an unknown id.
      const outsider = await atelierClient(withheld);
      expect(ok(await facet.gql(NodesDocument, { ids: [id] }, { token: outsider })).nodes).toEqual([null]);
    }
    const reader = await atelierClient(open ? [ApiScope.CATALOG_READ] : granted);
    const [found] = ok(await facet.gql(NodesDocument, { ids: [id] }, { token: reader })).nodes!;
    // Accounts types stay narrowed by their service (an API client sees itself, not its colleagues').
    if (typeName !== "ApiClient" && typeName !== "User") expect(found).toEqual({ __typename: typeName, id });
  });
});

describe("node(id:) for a bulk export, whose readers differ by kind", () => {
  it("finds an orders export only with orders:read, whatever other scope the type names", async () => {
    const id = await ownGlobalId("BulkExport");
    const otherKinds = await atelierClient([ApiScope.SHIPMENTS_READ, ApiScope.CATALOG_READ]);
    expect(ok(await facet.gql(NodesDocument, { ids: [id] }, { token: otherKinds })).nodes).toEqual([null]);
    const orders = await atelierClient([ApiScope.ORDERS_READ]);
    expect(ok(await facet.gql(NodesDocument, { ids: [id] }, { token: orders })).nodes).toEqual([{ __typename: "BulkExport", id }]);
  });
});

describe("fields that cross into another domain", () => {
  it("shows a shipment's order only to API clients that may read orders", async () => {
    const id = await ownGlobalId("Shipment");
    const shipmentsOnly = await atelierClient([ApiScope.SHIPMENTS_READ]);
    const refused = await facet.gql(NodeAccessShipmentOrderDocument, { id }, { token: shipmentsOnly });
    expect(refused.data?.shipment).toEqual({ id, order: null });
    expect(refused.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["shipment", "order"], "FORBIDDEN"]]);

    const both = await atelierClient([ApiScope.SHIPMENTS_READ, ApiScope.ORDERS_READ]);
    expect(ok(await facet.gql(NodeAccessShipmentOrderDocument, { id }, { token: both })).shipment?.order?.number).toMatch(/^EXP-\d{4}-\d{6}$/);
  });
});
