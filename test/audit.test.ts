import { UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import { AuditAdjustStockDocument, AuditLogDocument } from "./generated/graphql";
import { createProduct, createVariant } from "./support/catalog-factories";
import { createDistributor, createUser, userToken } from "./support/factories";
import { errorCodes, ok, startFacet, type TestFacet } from "./support/harness";

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

describe("audit trail of staff writes", () => {
  it("records who changed which row, before and after, and lets staff read it", async () => {
    const manager = await createUser(facet.dataSource, { role: UserRole.EXPORT_MANAGER });
    const support = await createUser(facet.dataSource, { role: UserRole.SUPPORT });
    const variant = await createVariant(facet.dataSource, await createProduct(facet.dataSource), { onHand: 5 });
    const result = ok(
      await facet.gql(
        AuditAdjustStockDocument,
        { input: { variantId: toGlobalId("Variant", variant.id), delta: 3, reason: "cycle count" } },
        { token: userToken(facet.config, manager) },
      ),
    );
    expect(result.adjustStock.userErrors).toEqual([]);

    const log = ok(await facet.gql(AuditLogDocument, { first: 10, filter: { table: "stock_levels", rowKey: variant.id } }, { token: userToken(facet.config, support) }));
    expect(log.auditLog!.nodes).toHaveLength(1);
    const [entry] = log.auditLog!.nodes;
    expect(entry).toMatchObject({ actorName: manager.name, tableName: "stock_levels", action: "UPDATE", requestId: "test" });
    expect(entry.before).toMatchObject({ on_hand: 5 });
    expect(entry.after).toMatchObject({ on_hand: 8 });

    const movements = ok(await facet.gql(AuditLogDocument, { first: 10, filter: { table: "stock_movements" } }, { token: userToken(facet.config, support) }));
    expect(movements.auditLog!.nodes).toEqual([]); // a table the exporter does not audit
  });

  it("does not record writes by distributors, and keeps the log from them", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const buyer = userToken(facet.config, await createUser(facet.dataSource, { distributor }));
    expect(errorCodes(await facet.gql(AuditLogDocument, { first: 1 }, { token: buyer }))).toEqual(["FORBIDDEN"]);
    const [{ count }] = (await facet.dataSource.query(`SELECT count(*)::int AS count FROM audit_log WHERE row_key = $1`, [distributor.id])) as { count: number }[];
    expect(count).toBe(0);
  });
});
