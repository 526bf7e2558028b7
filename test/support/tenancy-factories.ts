import { randomBytes, randomInt } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { toGlobalId } from "../../src/graphql/node";
import { UserRole } from "../../src/core/access";
import type { Distributor, User } from "../../src/modules/accounts";
import {
  TenancyAddDesignBriefCommentDocument,
  TenancyAddShipmentDocumentDocument,
  TenancyAdvanceOrderStatusDocument,
  TenancyConfirmOrderDocument,
  TenancyCreateDesignBriefDocument,
  TenancyCreateShipmentDocument,
  TenancyCreateWebhookEndpointDocument,
  type TenancyCreateShipmentMutationVariables,
  TenancyDeclineDesignBriefQuoteDocument,
  TenancyPlaceOrderDocument,
  TenancyQuoteDesignBriefDocument,
  TenancyRecordTrackingEventDocument,
  TenancyRespondToFeedbackDocument,
  TenancySetAirwayBillDocument,
  TenancySetTrackingNumberDocument,
  TenancyStartDesignBriefReviewDocument,
  TenancySubmitDesignBriefDocument,
  TenancySubmitShipmentFeedbackDocument,
  type TenancyPlaceOrderMutationVariables,
} from "../generated/graphql";
import { createProduct, createVariant, dateFromToday, setPrice } from "./catalog-factories";
import { createUser, twoTenants, unique } from "./factories";
import { ok, type TestFacet } from "./harness";

// Identifiers that pass every format and check-digit rule and are unlikely to exist already.

/** An IATA air waybill, 11 digits: airline prefix, 7-digit serial, serial mod 7. */
export function newAirwayBill(prefix = "176"): string {
  const serial = randomInt(1_000_000, 10_000_000);
  return `${prefix}${serial}${serial % 7}`;
}

/** A DHL Express waybill: 9 serial digits, then serial mod 7. */
export function newDhlWaybill(): string {
  const serial = randomInt(100_000_000, 1_000_000_000);
  return `${serial}${serial % 7}`;
}

/** A FedEx Express 12-digit tracking number with its check digit. */
export function newFedexTracking(): string {
  const body = String(randomInt(10_000_000_000, 100_000_000_000)).padStart(11, "0");
  const weights = [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return `${body}${(sum % 11) % 10}`;
}

export const newHouseAirwayBill = () => `HB${randomInt(10_000_000, 100_000_000)}`;

type Tenants = Awaited<ReturnType<typeof twoTenants>>;
type Tenant = Tenants["a"];

/** Runs a mutation that must succeed: no top-level errors and no user errors in its payload. */
async function must<TData extends Record<string, unknown>, TVars extends Record<string, unknown>>(
  facet: TestFacet,
  document: TypedDocumentNode<TData, TVars>,
  variables: TVars,
  token: string,
): Promise<TData[keyof TData]> {
  const data = ok(await facet.gql(document, variables, { token }));
  const payload = Object.values(data)[0] as { userErrors: unknown[] };
  if (payload.userErrors.length) throw new Error(`unexpected user errors: ${JSON.stringify(payload.userErrors)}`);
  return payload as TData[keyof TData];
}

export interface TenantData {
  distributor: Distributor;
  /** A string in every text B wrote (references, titles, comments), so a leak of any of them shows. */
  marker: string;
  buyer: User;
  admin: User;
  inactive: User;
  clientId: string;
  /** Database ids (and the product's global id) the probes build cursors and ids from. */
  ids: { pendingOrder: string; client: string; product: string };
  /** `shared` has a price for B and may get one for others; `own` is priced for B alone. */
  variants: { shared: VariantRef; own: VariantRef; styleCode: string };
  prices: { shared: string; own: string };
  placed: { key: string; input: TenancyPlaceOrderMutationVariables["input"] };
  shippedOrder: { id: string; number: string; buyerReference: string; lineSkus: string[] };
  pendingOrder: { id: string; number: string };
  delivered: { id: string; airwayBill: string; trackingNumber: string; documentNumber: string };
  inTransit: { id: string; houseAirwayBill: string; masterAirwayBill: string; trackingNumber: string };
  feedback: { id: string };
  briefs: { draft: BriefRef; quoted: BriefRef; declined: BriefRef };
  /** B's own people's tokens: a probe of a field staff may not read shows it is live by B's own answer. */
  tokens: Tenant["tokens"];
  /** B's webhook endpoint and a failed delivery to it (global ids). */
  webhook: { endpointId: string; deliveryId: string };
  /** B's completed orders export (global id), and its file's checksum, which only B's export holds. */
  bulkExport: { id: string; sha256: string };
}

export interface VariantRef {
  id: string;
  globalId: string;
  sku: string;
}

export interface BriefRef {
  id: string;
  reference: string;
  version: number;
  title: string;
}

/**
 * Distributor B's business, built through the real mutations: orders (one shipped and delivered
 * in two shipments with master and house air waybills, DHL and FedEx tracking, documents and
 * events; one pending), answered feedback, design briefs in draft, quoted and declined with
 * comments and an internal note, a deactivated user, contract prices and an idempotency key, the
 * events all of that wrote, a webhook endpoint with a failed delivery and its attempt, and a
 * completed bulk export. It leaves rows in every table a distributor owns.
 */

/**
 * What a quote says one piece of a brief's ring is made of: 18K gold, 5 g, no stones. Spread into
 * the quote's input, whose generated type does not know these fields until it is regenerated.
 */
/** What a quoted ring is made of, as a quote must state. */
export const QUOTED_RING = { metal: "GOLD" as const, fineness: 750, metalWeightGrams: "5.000", stones: [] };

export async function buildTenantData(facet: TestFacet, b: Tenant, staff: Tenants["staff"]): Promise<TenantData> {
  const ds = facet.dataSource;
  const marker = unique("bmark");
  const buyer = b.tokens.buyer;
  const manager = staff.manager;

  const product = await createProduct(ds, { name: `Style ${marker}` });
  const shared = await createVariant(ds, product, { onHand: 50 });
  const own = await createVariant(ds, product, { onHand: 50 });
  const prices = { shared: "413.37", own: "987.65" };
  await setPrice(ds, b.distributor, shared, prices.shared);
  await setPrice(ds, b.distributor, own, prices.own);
  const variantId = (v: { id: string }) => toGlobalId("Variant", v.id);

  const key = unique("key");
  const input = {
    idempotencyKey: key,
    buyerReference: `PO-${marker}`.slice(0, 35),
    lines: [
      { variantId: variantId(shared), quantity: 1 },
      { variantId: variantId(own), quantity: 2 },
    ],
  };
  const shipped = (await must(facet, TenancyPlaceOrderDocument, { input }, buyer)).order!;
  await must(facet, TenancyConfirmOrderDocument, { input: { id: shipped.id } }, manager);
  for (const status of ["IN_PRODUCTION", "QUALITY_CHECK", "PACKED"] as const) {
    await must(facet, TenancyAdvanceOrderStatusDocument, { input: { id: shipped.id, status } }, manager);
  }
  // Net weights are the goods' own (3 g a piece); the order is DAP, so the seller pays the freight.
  const parcel = (grams: number) => [{ count: 1, netWeightKg: (grams / 1000).toFixed(3), grossWeightKg: "0.450", lengthCm: 12, widthCm: 10, heightCm: 6 }];
  const terms = { namedPlace: "Paris (CDG), France", charges: { freight: { amount: "40.00", currency: b.distributor.currency } } };
  const shipment = (input: Record<string, unknown>) => ({ input: { ...terms, ...input } }) as unknown as TenancyCreateShipmentMutationVariables;

  const first = (await must(facet, TenancyCreateShipmentDocument, shipment({ orderId: shipped.id, carrier: "DHL_EXPRESS", service: "EXPRESS WORLDWIDE", lines: [{ lineNumber: 1, quantity: 1 }], packages: parcel(3) }), manager)).shipment!;
  const airwayBill = newAirwayBill("176");
  const dhl = newDhlWaybill();
  const documentNumber = `INV-${marker}`.toUpperCase().slice(0, 60);
  await must(facet, TenancySetAirwayBillDocument, { input: { shipmentId: first.id, number: airwayBill, type: "MASTER" } }, manager);
  await must(facet, TenancySetTrackingNumberDocument, { input: { shipmentId: first.id, trackingNumber: dhl } }, manager);
  await must(
    facet,
    TenancyAddShipmentDocumentDocument,
    { input: { shipmentId: first.id, kind: "COMMERCIAL_INVOICE", number: documentNumber, issueDate: dateFromToday(0), url: `https://docs.example/${marker}.pdf`, sha256: "ab".repeat(32) } },
    manager,
  );
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  await must(facet, TenancyRecordTrackingEventDocument, { input: { shipmentId: first.id, occurredAt: hoursAgo(30), status: "IN_TRANSIT", description: `Departed ${marker}`, location: "DEL" } }, manager);
  await must(facet, TenancyRecordTrackingEventDocument, { input: { shipmentId: first.id, occurredAt: hoursAgo(2), status: "DELIVERED", description: `Delivered ${marker}`, location: "CDG" } }, manager);

  const second = (await must(facet, TenancyCreateShipmentDocument, shipment({ orderId: shipped.id, carrier: "FEDEX", service: "INTERNATIONAL PRIORITY", lines: [{ lineNumber: 2, quantity: 2 }], packages: parcel(6) }), manager)).shipment!;
  const houseAirwayBill = newHouseAirwayBill();
  const masterAirwayBill = newAirwayBill("020");
  const fedex = newFedexTracking();
  await must(facet, TenancySetAirwayBillDocument, { input: { shipmentId: second.id, number: houseAirwayBill, type: "HOUSE", masterAirwayBill } }, manager);
  await must(facet, TenancySetTrackingNumberDocument, { input: { shipmentId: second.id, trackingNumber: fedex } }, manager);
  await must(facet, TenancyRecordTrackingEventDocument, { input: { shipmentId: second.id, occurredAt: hoursAgo(20), status: "IN_TRANSIT", description: `Departed ${marker}` } }, manager);

  const pending = (await must(facet, TenancyPlaceOrderDocument, { input: { idempotencyKey: unique("key"), buyerReference: `PO2-${marker}`.slice(0, 35), lines: [{ variantId: variantId(shared), quantity: 1 }] } }, buyer)).order!;

  const feedback = (await must(
    facet,
    TenancySubmitShipmentFeedbackDocument,
    { input: { shipmentId: first.id, rating: 4, condition: "MINOR_ISSUES", issues: ["LATE"], comment: `A day late ${marker}` } },
    buyer,
  )).feedback!;
  await must(facet, TenancyRespondToFeedbackDocument, { input: { id: feedback.id, response: `Sorry ${marker}` } }, manager);

  const brief = async (title: string) => {
    const created = (await must(facet, TenancyCreateDesignBriefDocument, { input: { title, description: `Exclusive ${marker}`, category: "RING", metal: "GOLD", fineness: 750, quantity: 40 } }, buyer)).designBrief!;
    return { id: created.id, reference: created.reference, version: created.version, title };
  };
  const draft = await brief(`Draft ${marker}`);
  const quoted = await brief(`Quoted ${marker}`);
  const declined = await brief(`Declined ${marker}`);
  const quote = { leadTimeDays: 30, unitPrice: { amount: "650.00", currency: b.distributor.currency }, validUntil: dateFromToday(7), note: `Quote ${marker}`, ...QUOTED_RING };
  for (const ref of [quoted, declined]) {
    let version = (await must(facet, TenancySubmitDesignBriefDocument, { input: { id: ref.id, expectedVersion: ref.version } }, buyer)).designBrief!.version;
    version = (await must(facet, TenancyStartDesignBriefReviewDocument, { input: { id: ref.id, expectedVersion: version } }, manager)).designBrief!.version;
    ref.version = (await must(facet, TenancyQuoteDesignBriefDocument, { input: { id: ref.id, expectedVersion: version, ...quote } }, manager)).designBrief!.version;
  }
  declined.version = (await must(facet, TenancyDeclineDesignBriefQuoteDocument, { input: { id: declined.id, expectedVersion: declined.version, note: `Too dear ${marker}` } }, buyer)).designBrief!.version;
  await must(facet, TenancyAddDesignBriefCommentDocument, { input: { briefId: quoted.id, body: `Can it be rose gold? ${marker}` } }, buyer);
  await must(facet, TenancyAddDesignBriefCommentDocument, { input: { briefId: quoted.id, body: `Internal: margin ${marker}`, internal: true } }, manager);

  const inactive = await createUser(ds, { distributor: b.distributor, role: UserRole.BUYER, active: false });

  // B's webhooks: an endpoint its admin registered once B's events were written (so none was
  // delivered to it, and nothing B does later is: nothing of B's changes after this), on a port
  // nobody listens on; and a delivery of one of B's events that failed, with its attempt, written
  // as the delivery job leaves them. No job is queued for it, so a job runner another test file
  // starts finds nothing of B's to send and B's rows stay as they are while the tests run.
  const endpoint = (await must(
    facet,
    TenancyCreateWebhookEndpointDocument,
    { input: { url: `http://127.0.0.1:65000/hooks/${marker}`, eventTypes: ["order.status_changed", "shipment.delivered"], description: `ERP ${marker}` } },
    b.tokens.admin,
  )).webhookEndpoint!;
  const endpointRow = Buffer.from(endpoint.id, "base64url").toString("utf8").split(":")[1];
  const [delivery] = (await ds.query(
    `WITH e AS (SELECT id, type FROM events WHERE distributor_id = $1 AND type = 'order.status_changed' ORDER BY occurred_at DESC, id LIMIT 1),
     d AS (
       INSERT INTO webhook_deliveries (distributor_id, endpoint_id, event_id, event_type, status, attempt_count, round_attempts, next_attempt_at, last_attempt_at, last_status_code, last_error)
       SELECT $1, $2, e.id, e.type, 'FAILED', 1, 1, NULL, now(), 503, $3 FROM e
       RETURNING id, distributor_id, last_attempt_at
     )
     INSERT INTO webhook_attempts (distributor_id, delivery_id, number, attempted_at, duration_ms, status_code, error, response_excerpt)
     SELECT distributor_id, id, 1, last_attempt_at, 20, 503, $3, $4 FROM d
     RETURNING delivery_id`,
    [b.distributor.id, endpointRow, `answered 503 ${marker}`, `Maintenance ${marker}`],
  )) as { delivery_id: string }[];
  if (!delivery) throw new Error("B has no order.status_changed event to deliver");

  // A completed export of B's orders, as the export job leaves it. Its file is not written (nothing
  // here downloads it); no job is queued, so no job runner changes it.
  const sha256 = randomBytes(32).toString("hex");
  const [bulkExport] = (await ds.query(
    `INSERT INTO bulk_exports (distributor_id, requested_by_user_id, kind, status, horizon, object_count, byte_size, sha256, file_key, started_at, completed_at, expires_at)
     VALUES ($1, $2, 'ORDERS', 'COMPLETED', now(), 2, 4096, $3, $4, now(), now(), now() + interval '7 days')
     RETURNING id`,
    [b.distributor.id, b.buyer.id, sha256, `${marker}.jsonl`],
  )) as { id: string }[];

  return {
    distributor: b.distributor,
    marker,
    buyer: b.buyer,
    admin: b.admin,
    inactive,
    clientId: b.client.clientId,
    ids: { pendingOrder: Buffer.from(pending.id, "base64url").toString("utf8").split(":")[1], client: b.client.id, product: toGlobalId("Product", product.id) },
    variants: {
      shared: { id: shared.id, globalId: variantId(shared), sku: shared.sku },
      own: { id: own.id, globalId: variantId(own), sku: own.sku },
      styleCode: product.styleCode,
    },
    prices,
    placed: { key, input },
    shippedOrder: { id: shipped.id, number: shipped.number, buyerReference: shipped.buyerReference, lineSkus: shipped.lines.map((l) => l.sku) },
    pendingOrder: { id: pending.id, number: pending.number },
    delivered: { id: first.id, airwayBill, trackingNumber: dhl, documentNumber },
    inTransit: { id: second.id, houseAirwayBill, masterAirwayBill, trackingNumber: fedex },
    feedback: { id: feedback.id },
    briefs: { draft, quoted, declined },
    tokens: b.tokens,
    webhook: { endpointId: endpoint.id, deliveryId: toGlobalId("WebhookDelivery", delivery.delivery_id) },
    bulkExport: { id: toGlobalId("BulkExport", bulkExport.id), sha256 },
  };
}

/**
 * Every row distributor B owns, table by table, as the database holds it (read outside any
 * request, so row-level security hides nothing): the before and after of "changes nothing of B's".
 */
export async function snapshotOf(facet: TestFacet, distributorId: string): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const { table, owned } of await tenantTables(facet)) {
    const rows = (await facet.dataSource.query(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE ${owned("t")} ORDER BY to_jsonb(t)::text`, [distributorId])) as { row: unknown }[];
    snapshot[table] = rows.map((r) => r.row);
  }
  return snapshot;
}

export interface TenantTable {
  table: string;
  /** SQL true for the rows of distributor $1, over the given alias; follows parents up to the distributor. */
  owned: (alias: string) => string;
  /** The table's primary key columns. */
  key: string[];
}

/**
 * The tables a distributor owns, read from the catalog: `distributors`, every table with a
 * `distributor_id`, and every table hanging off one of those by a NOT NULL foreign key.
 */
export async function tenantTables(facet: TestFacet): Promise<TenantTable[]> {
  const columns = (await facet.dataSource.query(
    `SELECT c.relname AS table, a.attname AS column
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = 'distributor_id'`,
  )) as { table: string; column: string }[];
  const foreignKeys = (await facet.dataSource.query(
    `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS parent,
            (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1]) AS column,
            (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.confrelid AND a.attnum = c.confkey[1]) AS referenced,
            (SELECT a.attnotnull FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1]) AS required
     FROM pg_constraint c WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1`,
  )) as { table: string; parent: string; column: string; referenced: string; required: boolean }[];
  const keys = (await facet.dataSource.query(
    `SELECT c.relname AS table, array_agg(a.attname::text ORDER BY array_position(i.indkey, a.attnum)) AS key
     FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY(i.indkey)
     WHERE i.indisprimary AND n.nspname = 'public' GROUP BY c.relname`,
  )) as { table: string; key: string[] }[];
  const keyOf = new Map(keys.map((k) => [k.table, k.key]));

  const owned = new Map<string, (alias: string) => string>([["distributors", (t) => `${t}.id = $1`]]);
  for (const { table } of columns) owned.set(table, (t) => `${t}.distributor_id = $1`);
  for (let grew = true; grew; ) {
    grew = false;
    for (const fk of foreignKeys) {
      const parent = owned.get(fk.parent);
      if (!fk.required || owned.has(fk.table) || !parent) continue;
      owned.set(fk.table, (t) => `EXISTS (SELECT 1 FROM ${fk.parent} p_${fk.table} WHERE p_${fk.table}.${fk.referenced} = ${t}.${fk.column} AND ${parent(`p_${fk.table}`)})`);
      grew = true;
    }
  }
  return [...owned].map(([table, predicate]) => ({ table, owned: predicate, key: keyOf.get(table) ?? [] })).sort((x, y) => x.table.localeCompare(y.table));
}
