import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { startJobRunner, type JobRunner } from "../src/db/jobs";
import { fromGlobalId } from "../src/graphql/node";
import { expireBulkExports, exportsJobs } from "../src/modules/exports";
import { signedDownloadUrl } from "../src/modules/exports/download-url";
import { createProduct, createVariant, setPrice, variantId } from "./support/catalog-factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";
import { staff, tenant, type Tenant } from "./support/orders-factories";
import { createShipment, packedOrder, parcel, placeOrder, recordEvent, shipmentInput, stockedVariant, type PlacedOrder } from "./support/shipment-factories";

// Bulk exports through the real schema, job runner and download route: each kind's file holds its
// distributor's objects and no other's, the URL is signed and expires, and who may export is the
// domain's readers.

let facet: TestFacet;
let dataDir: string;
let a: Tenant;
let b: Tenant;
let manager: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "facet-bulk-export-"));
  facet = await startFacet({ DATA_DIR: dataDir });
  [a, b] = [await tenant(facet.dataSource, facet.config), await tenant(facet.dataSource, facet.config)];
  manager = (await staff(facet.dataSource, facet.config)).manager.token;
});
afterAll(async () => {
  await facet.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type UserErrorOut = { field: string[] | null; message: string; code: string };
interface ExportOut {
  id: string;
  kind: string;
  status: string;
  objectCount: number | null;
  byteSize: number | null;
  sha256: string | null;
  url: string | null;
  urlExpiresAt: string | null;
  expiresAt: string | null;
  horizon: string | null;
  updatedSince: string | null;
  error: string | null;
}

function run<T>(source: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResult<T>> {
  return facet.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

const FIELDS = "id kind status objectCount byteSize sha256 url urlExpiresAt expiresAt horizon updatedSince error";
const START = `mutation BxStart($input: StartBulkExportInput!) { startBulkExport(input: $input) { bulkExport { ${FIELDS} } userErrors { field message code } } }`;
const ONE = `query BxOne($id: ID!) { bulkExport(id: $id) { ${FIELDS} } }`;
const LIST = `query BxList($first: Int) { bulkExports(first: $first) { nodes { id kind status } } }`;
const NODE = `query BxNode($id: ID!) { node(id: $id) { id ... on BulkExport { status } } }`;

type StartResult = { startBulkExport: { bulkExport: ExportOut | null; userErrors: UserErrorOut[] } };

async function start(token: string, kind: string, updatedSince?: string): Promise<StartResult["startBulkExport"]> {
  return ok(await run<StartResult>(START, { input: { kind, updatedSince } }, token)).startBulkExport;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const one = async (token: string, id: string) => ok(await run<{ bulkExport: ExportOut | null }>(ONE, { id }, token)).bulkExport;

/** Starts an export and waits until it has completed (or failed). */
async function exported(token: string, kind: string, updatedSince?: string): Promise<ExportOut> {
  const started = await start(token, kind, updatedSince);
  expect(started.userErrors).toEqual([]);
  return until(
    () => one(token, started.bulkExport!.id),
    (x) => x !== null && ["COMPLETED", "FAILED"].includes(x.status),
  ) as Promise<ExportOut>;
}

async function download(url: string): Promise<Response> {
  return fetch(url.startsWith("http") ? url : await facet.url(url));
}

async function linesOf(x: ExportOut): Promise<Record<string, any>[]> {
  expect(x.status).toBe("COMPLETED");
  const response = await download(x.url!);
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(createHash("sha256").update(text).digest("hex")).toBe(x.sha256);
  expect(Buffer.byteLength(text)).toBe(x.byteSize);
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n").map((l) => JSON.parse(l));
  expect(lines).toHaveLength(x.objectCount!);
  return lines;
}

/**
 * Exports until the file holds what `done` expects: an export stops at the sync horizon, which a
 * transaction another test file holds open can keep behind the objects just made.
 */
async function exportedWith(token: string, kind: string, done: (lines: Record<string, any>[]) => boolean, updatedSince?: string) {
  const end = Date.now() + 30_000;
  for (;;) {
    const x = await exported(token, kind, updatedSince);
    const lines = await linesOf(x);
    if (done(lines) || Date.now() > end) return { x, lines };
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("before a job runner runs", () => {
  it("refuses an export beyond the distributor's two under way, also when asked at once", async () => {
    const c = await tenant(facet.dataSource, facet.config);
    const results = await Promise.all([start(c.erp, "ORDERS"), start(c.buyer.token, "CATALOG"), start(c.admin.token, "SHIPMENTS")]);
    const refused = results.filter((r) => r.userErrors.length > 0);
    expect(results.filter((r) => r.bulkExport?.status === "QUEUED")).toHaveLength(2);
    expect(refused).toHaveLength(1);
    expect(refused[0].bulkExport).toBeNull();
    expect(refused[0].userErrors).toEqual([{ field: null, code: "LIMIT_REACHED", message: expect.stringContaining("2 exports under way") }]);
    // Another distributor is not held back by them.
    expect((await start(b.buyer.token, "CATALOG")).userErrors).toEqual([]);
  });

  it("names each bad field: a kind outside the client's scopes, a time in the future", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const result = await start(a.erpWith("catalog:read"), "ORDERS", future);
    expect(result.bulkExport).toBeNull();
    expect(result.userErrors.map((e) => [e.field, e.code])).toEqual([
      [["input", "kind"], "NOT_ALLOWED"],
      [["input", "updatedSince"], "OUT_OF_RANGE"],
    ]);
    expect(result.userErrors[0].message).toContain("orders:read");
  });

  it("refuses staff and clients with no read scope at all", async () => {
    for (const token of [manager, a.erpWith("feedback:write", "orders:write")]) {
      const result = await run<StartResult>(START, { input: { kind: "ORDERS" } }, token);
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await run(ONE, { id: "x" }, token))).toEqual(["FORBIDDEN"]);
    }
  });
});

describe("with a job runner", () => {
  let runner: JobRunner;
  let ordersA: PlacedOrder[];
  let orderB: PlacedOrder;
  let shipmentA: string;
  let shipmentB: string;
  let first: { x: ExportOut; lines: Record<string, any>[] };

  beforeAll(async () => {
    runner = startJobRunner(facet.dataSource, exportsJobs, { pollMs: 20 });
    const variantA = await stockedVariant(facet, a.distributor, { price: "120.50" });
    const variantB = await stockedVariant(facet, b.distributor, { price: "99.00" });
    ordersA = [await placeOrder(facet, a.buyer.token, [{ variantId: variantA, quantity: 2 }]), await packedOrder(facet, { buyer: a.buyer.token, manager }, [{ variantId: variantA, quantity: 1 }])];
    orderB = await packedOrder(facet, { buyer: b.buyer.token, manager }, [{ variantId: variantB, quantity: 3 }]);
    shipmentA = (await createShipment(facet, manager, shipmentInput(ordersA[1].id))).id;
    await recordEvent(facet, manager, { shipmentId: shipmentA, occurredAt: new Date(Date.now() - 60_000).toISOString(), status: "IN_TRANSIT", description: "Departed", location: "Mumbai" } as never);
    shipmentB = (await createShipment(facet, manager, shipmentInput(orderB.id, { packages: [parcel({ netWeightKg: "0.009" })] }))).id;
    first = await exportedWith(a.buyer.token, "ORDERS", (lines) => lines.length >= 2);
  }, 60_000);
  afterAll(() => runner.stop());

  it("writes the distributor's orders, each with its lines and history, and no other's", async () => {
    const { x, lines } = first;
    expect(x.objectCount).toBe(2);
    expect(lines.map((l) => l.id).sort()).toEqual(ordersA.map((o) => o.id).sort());
    expect(lines.map((l) => l.id)).not.toContain(orderB.id);
    const placed = lines.find((l) => l.id === ordersA[0].id)!;
    expect(placed).toMatchObject({
      number: ordersA[0].number,
      status: "PENDING",
      currency: "EUR",
      poReference: "PO-SHIP",
      total: { amount: "241.00", currency: "EUR" },
      lines: [{ lineNumber: 1, quantity: 2, unitPrice: { amount: "120.50", currency: "EUR" }, lineTotal: { amount: "241.00", currency: "EUR" } }],
      statusHistory: [{ from: null, to: "PENDING" }],
    });
    expect(placed.placedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(fromGlobalId(placed.lines[0].variantId)?.typeName).toBe("Variant");
    // In update order.
    expect([...lines].sort((p, q) => p.updatedAt.localeCompare(q.updatedAt)).map((l) => l.id)).toEqual(lines.map((l) => l.id));
    expect(new Date(x.horizon!).getTime()).toBeGreaterThanOrEqual(Math.max(...lines.map((l) => new Date(l.updatedAt).getTime())));
  });

  it("continues from the horizon: the next export with updatedSince holds only what changed since", async () => {
    const cancelled = ok(await run<{ cancelOrder: { userErrors: UserErrorOut[] } }>(`mutation BxCancel($id: ID!) { cancelOrder(input: { id: $id }) { userErrors { code } } }`, { id: ordersA[0].id }, a.buyer.token));
    expect(cancelled.cancelOrder.userErrors).toEqual([]);
    const { x, lines } = await exportedWith(a.erpWith("orders:read"), "ORDERS", (l) => l.length >= 1, first.x.horizon!);
    expect(x.updatedSince).toBe(first.x.horizon);
    expect(lines.map((l) => [l.id, l.status])).toEqual([[ordersA[0].id, "CANCELLED"]]);
  });

  it("writes shipments with their lines and tracking events, and no other distributor's", async () => {
    const { x, lines } = await exportedWith(a.erpWith("shipments:read"), "SHIPMENTS", (l) => l.length >= 1);
    expect(x.kind).toBe("SHIPMENTS");
    expect(lines.map((l) => l.id)).toEqual([shipmentA]);
    expect(lines.map((l) => l.id)).not.toContain(shipmentB);
    expect(lines[0]).toMatchObject({
      orderId: ordersA[1].id,
      orderNumber: ordersA[1].number,
      carrier: "DHL_EXPRESS",
      lines: [{ orderLineNumber: 1, quantity: 1 }],
      trackingEvents: [{ status: "IN_TRANSIT", location: "Mumbai", description: "Departed" }],
    });
  });

  it("writes the catalog with the distributor's own prices only", async () => {
    const product = await createProduct(facet.dataSource, { minimumOrderQuantity: 1 });
    const both = await createVariant(facet.dataSource, product, { onHand: 7 });
    const onlyB = await createVariant(facet.dataSource, product, { onHand: 0 });
    await setPrice(facet.dataSource, a.distributor, both, "10.00");
    await setPrice(facet.dataSource, b.distributor, both, "11.00");
    await setPrice(facet.dataSource, b.distributor, onlyB, "12.00");
    const mine = (lines: Record<string, any>[]) => lines.find((l) => fromGlobalId(l.id)?.id === product.id);
    const { lines } = await exportedWith(a.erpWith("catalog:read"), "CATALOG", (l) => mine(l) !== undefined);
    const style = mine(lines)!;
    expect(style.styleCode).toBe(product.styleCode);
    const byId = new Map(style.variants.map((v: Record<string, any>) => [v.id, v]));
    expect(byId.get(variantId(both))).toMatchObject({ price: { amount: "10.00", currency: "EUR" }, availability: { onHand: 7, available: 7 } });
    expect(byId.get(variantId(onlyB))).toMatchObject({ price: null });
    // No price of B's anywhere in A's file.
    const prices = lines.flatMap((l) => l.variants.map((v: Record<string, any>) => v.price?.amount));
    expect(prices).not.toContain("11.00");
    expect(prices).not.toContain("12.00");
  });

  it("downloads with the right headers; a tampered, expired or unknown URL does not", async () => {
    const x = first.x;
    const response = await download(x.url!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="facet-orders-\d{4}-\d\d-\d\d-[0-9a-f-]{36}\.jsonl"$/);
    expect(response.headers.get("content-length")).toBe(String(x.byteSize));
    expect(response.headers.get("cache-control")).toBe("no-store");
    await response.arrayBuffer();
    expect(new Date(x.urlExpiresAt!).getTime()).toBeLessThanOrEqual(Date.now() + 3_660_000);

    const tampered = x.url!.replace(/signature=([0-9a-f])/, (_m, c: string) => `signature=${c === "0" ? "1" : "0"}`);
    const refused = await download(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: "forbidden", error_description: expect.stringContaining("signature") });

    const id = fromGlobalId(x.id)!.id;
    const expired = await download(signedDownloadUrl(facet.config, id, a.distributor.id, Math.floor(Date.now() / 1000) - 1));
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { error_description: string }).error_description).toContain("expired");
    // Signed for another distributor: the signature does not hold for this export.
    const foreign = await download(signedDownloadUrl(facet.config, id, b.distributor.id, Math.floor(Date.now() / 1000) + 600));
    expect(foreign.status).toBe(403);
    await foreign.arrayBuffer();
    const unknown = await download(signedDownloadUrl(facet.config, "00000000-0000-4000-8000-000000000000", a.distributor.id, Math.floor(Date.now() / 1000) + 600));
    expect(unknown.status).toBe(404);
    await unknown.arrayBuffer();
  });

  it("reads as missing to another distributor and to a client without the kind's scope", async () => {
    const id = first.x.id;
    expect(await one(b.buyer.token, id)).toBeNull();
    expect(await one(b.erp, id)).toBeNull();
    expect(ok(await run<{ node: unknown }>(NODE, { id }, b.buyer.token)).node).toBeNull();
    expect(await one(a.erpWith("catalog:read"), id)).toBeNull();
    expect(await one(a.admin.token, id)).toMatchObject({ id, status: "COMPLETED" });
    expect(ok(await run<{ node: { id: string } }>(NODE, { id }, a.erpWith("orders:read"))).node).toMatchObject({ id });
    const listed = ok(await run<{ bulkExports: { nodes: { id: string; kind: string }[] } }>(LIST, { first: 50 }, a.erpWith("catalog:read"))).bulkExports.nodes;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((n) => n.kind === "CATALOG")).toBe(true);
    const all = ok(await run<{ bulkExports: { nodes: { id: string }[] } }>(LIST, { first: 50 }, a.buyer.token)).bulkExports.nodes.map((n) => n.id);
    expect(all).toContain(id);
  });

  it("reads one export in a constant number of statements, with its URL or without", async () => {
    const queued = (await start(a.admin.token, "CATALOG")).bulkExport!;
    const counts: number[] = [];
    for (const id of [first.x.id, queued.id, first.x.id]) {
      await one(a.buyer.token, id);
      counts.push(facet.last!.statements);
    }
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeLessThanOrEqual(3);
    await until(
      () => one(a.buyer.token, queued.id),
      (x) => x?.status === "COMPLETED",
    );
  });

  it("deletes a file once its retention has ended and marks the export EXPIRED", async () => {
    const x = await exported(a.buyer.token, "SHIPMENTS");
    const id = fromGlobalId(x.id)!.id;
    await facet.dataSource.query(`UPDATE bulk_exports SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await expireBulkExports(facet.dataSource)).toBeGreaterThanOrEqual(1);
    const after = await one(a.buyer.token, x.id);
    expect(after).toMatchObject({ status: "EXPIRED", url: null });
    const gone = await download(x.url!);
    expect(gone.status).toBe(404);
    await gone.arrayBuffer();
    const [{ file_key: key }] = await facet.dataSource.query(`SELECT file_key FROM bulk_exports WHERE id = $1`, [id]);
    expect(key).toBeNull();
  });
});
