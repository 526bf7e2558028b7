import { readFileSync } from "node:fs";
import path from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import type { RequestContext } from "../src/core/context";
import { withRequestRunner } from "../src/db/request-scope";
import { withTransaction } from "../src/db/transaction";
import { ALL_EVENT_TYPES, eventBusOf, EVENTS_RETENTION, recordEvents, type PublishedEvent } from "../src/modules/events";
import { briefCompany, briefIn, type BriefCompany } from "./support/briefs-factories";
import { errorCodes, ok, startFacet, whenSynced, type GraphQLResult, type TestFacet } from "./support/harness";
import { staff, tenant, type Tenant } from "./support/orders-factories";
import { createShipment, freshAwb, freshDhlWaybill, hoursFromNow, packedOrder, placeOrder, shipmentInput, stockedVariant } from "./support/shipment-factories";

// The outbox (docs/events.md): every change a partner or a screen follows is an event written by
// the transaction that made the change, listed by `events` to whom may read its object.

let facet: TestFacet;
let people: Awaited<ReturnType<typeof staff>>;
beforeAll(async () => {
  facet = await startFacet();
  people = await staff(facet.dataSource, facet.config);
});
afterAll(() => facet.stop());

function run<T>(source: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResult<T>> {
  return facet.gql(parse(source) as TypedDocumentNode<T, Record<string, unknown>>, variables, { token });
}

interface Row {
  type: string;
  subject_id: string | null;
  data: Record<string, unknown>;
}

/** The distributor's events, in the order they were written. */
async function eventsOf(distributorId: string): Promise<Row[]> {
  return facet.dataSource.query(`SELECT type, subject_id, data FROM events WHERE distributor_id = $1 ORDER BY occurred_at, type`, [distributorId]);
}

const typesOf = (rows: Row[]) => rows.map((r) => r.type);

const EVENTS = `query Events($first: Int, $after: String, $types: [String!]) {
  events(first: $first, after: $after, types: $types) { nodes { id type occurredAt data } pageInfo { hasNextPage endCursor } }
}`;
type EventsAnswer = { events: { nodes: { id: string; type: string; occurredAt: string; data: Record<string, unknown> }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null };

async function confirm(orderId: string) {
  const { confirmOrder } = ok(await run<{ confirmOrder: { userErrors: unknown[] } }>(`mutation($id: ID!) { confirmOrder(input: { id: $id }) { userErrors { message } } }`, { id: orderId }, people.manager.token));
  expect(confirmOrder.userErrors).toEqual([]);
}

describe("orders", () => {
  let t: Tenant;
  let variantId: string;
  beforeAll(async () => {
    t = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
    variantId = await stockedVariant(facet, t.distributor);
  });

  test("placing, confirming, moving and cancelling orders each write their events, naming the order", async () => {
    const kept = await placeOrder(facet, t.buyer.token, [{ variantId, quantity: 2 }]);
    await confirm(kept.id);
    const moved = ok(
      await run<{ advanceOrderStatus: { userErrors: unknown[] } }>(
        `mutation($id: ID!) { advanceOrderStatus(input: { id: $id, status: IN_PRODUCTION }) { userErrors { message } } }`,
        { id: kept.id },
        people.manager.token,
      ),
    );
    expect(moved.advanceOrderStatus.userErrors).toEqual([]);
    const dropped = await placeOrder(facet, t.buyer.token, [{ variantId, quantity: 1 }]);
    const cancelled = ok(await run<{ cancelOrder: { userErrors: unknown[] } }>(`mutation($id: ID!) { cancelOrder(input: { id: $id }) { userErrors { message } } }`, { id: dropped.id }, t.buyer.token));
    expect(cancelled.cancelOrder.userErrors).toEqual([]);

    const rows = await eventsOf(t.distributor.id);
    const about = (orderId: string) => rows.filter((r) => r.data.orderId === orderId);
    expect(about(kept.id).map((r) => [r.type, r.data.from ?? null, r.data.to ?? null])).toEqual([
      ["order.placed", null, null],
      ["order.confirmed", "PENDING", "CONFIRMED"],
      ["order.status_changed", "PENDING", "CONFIRMED"],
      ["order.status_changed", "CONFIRMED", "IN_PRODUCTION"],
    ]);
    expect(about(dropped.id).map((r) => r.type)).toEqual(["order.placed", "order.cancelled", "order.status_changed"]);
    expect(about(kept.id)[0].data).toMatchObject({ orderId: kept.id, number: kept.number, status: "PENDING" });
  });

  test("a refused placement writes no event", async () => {
    const before = (await eventsOf(t.distributor.id)).length;
    const refused = ok(
      await run<{ placeOrder: { userErrors: unknown[] } }>(
        `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { userErrors { field } } }`,
        { input: { idempotencyKey: "e6a2f1a4-4a43-4a52-8a8e-7a1f7e0d0c01", buyerReference: "PO-NONE", lines: [{ variantId, quantity: 0 }] } },
        t.buyer.token,
      ),
    );
    expect(refused.placeOrder.userErrors.length).toBeGreaterThan(0);
    expect((await eventsOf(t.distributor.id)).length).toBe(before);
  });
});

describe("the outbox's transaction", () => {
  const system = <T>(work: (ctx: RequestContext) => Promise<T>) =>
    withRequestRunner(facet.dataSource, undefined, (db) =>
      work({ requestId: "events-test", config: facet.config, principal: null, db, dataSource: facet.dataSource, loaders: new Map(), ip: undefined }),
    );

  test("an event is published to live subscribers only once its transaction has committed, and never when it rolls back", async () => {
    const t = await tenant(facet.dataSource, facet.config);
    const heard: PublishedEvent[] = [];
    const unsubscribe = eventBusOf(facet.dataSource)!.subscribe((e) => {
      if (e.distributorId === t.distributor.id) heard.push(e);
    });
    try {
      let heardInside = -1;
      await system((ctx) =>
        withTransaction(ctx, async (tx) => {
          await recordEvents(tx, [{ type: "order.placed", distributorId: t.distributor.id, data: { number: "committed" } }]);
          heardInside = heard.length;
        }),
      );
      expect(heardInside).toBe(0);
      expect(heard.map((e) => e.data.number)).toEqual(["committed"]);

      await expect(
        system((ctx) =>
          withTransaction(ctx, async (tx) => {
            await recordEvents(tx, [{ type: "order.placed", distributorId: t.distributor.id, data: { number: "rolled back" } }]);
            throw new Error("refused");
          }),
        ),
      ).rejects.toThrow("refused");
      // A savepoint that rolls back inside a transaction that commits takes its events with it.
      await system((ctx) =>
        withTransaction(ctx, async (tx) => {
          await withTransaction(tx, async (inner) => {
            await recordEvents(inner, [{ type: "order.placed", distributorId: t.distributor.id, data: { number: "kept inside" } }]);
          });
          await withTransaction(tx, async (inner) => {
            await recordEvents(inner, [{ type: "order.placed", distributorId: t.distributor.id, data: { number: "savepoint rolled back" } }]);
            throw new Error("inner");
          }).catch(() => undefined);
        }),
      );
    } finally {
      unsubscribe();
    }
    expect(heard.map((e) => e.data.number)).toEqual(["committed", "kept inside"]);
    expect((await eventsOf(t.distributor.id)).map((r) => r.data.number)).toEqual(["committed", "kept inside"]);
    expect(heard[0].id).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
  });
});

describe("shipments and feedback", () => {
  test("a shipment's creation, air waybill, tracking number, tracking events, ETA and delivery are events, and so are its feedback and the answer", async () => {
    const t = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
    const variantId = await stockedVariant(facet, t.distributor);
    const order = await packedOrder(facet, { buyer: t.buyer.token, manager: people.manager.token }, [{ variantId, quantity: 1 }]);
    const shipment = await createShipment(facet, people.manager.token, shipmentInput(order.id));
    const awb = freshAwb();
    const set = ok(
      await run<{ setAirwayBill: { userErrors: unknown[] } }>(
        `mutation($input: SetAirwayBillInput!) { setAirwayBill(input: $input) { userErrors { message } } }`,
        { input: { shipmentId: shipment.id, type: "DIRECT", number: awb } },
        people.manager.token,
      ),
    );
    expect(set.setAirwayBill.userErrors).toEqual([]);
    const tracking = freshDhlWaybill();
    const tracked = ok(
      await run<{ setTrackingNumber: { userErrors: unknown[] } }>(
        `mutation($input: SetTrackingNumberInput!) { setTrackingNumber(input: $input) { userErrors { message } } }`,
        { input: { shipmentId: shipment.id, trackingNumber: tracking } },
        people.manager.token,
      ),
    );
    expect(tracked.setTrackingNumber.userErrors).toEqual([]);
    const record = async (status: string, occurredAt: string, estimatedDeliveryAt?: string) => {
      const answer = ok(
        await run<{ recordTrackingEvent: { userErrors: unknown[] } }>(
          `mutation($input: RecordTrackingEventInput!) { recordTrackingEvent(input: $input) { userErrors { message } } }`,
          { input: { shipmentId: shipment.id, status, occurredAt, description: status, estimatedDeliveryAt } },
          people.manager.token,
        ),
      );
      expect(answer.recordTrackingEvent.userErrors).toEqual([]);
    };
    await record("IN_TRANSIT", hoursFromNow(-3), hoursFromNow(48));
    await record("DELIVERED", hoursFromNow(-1));
    const submitted = ok(
      await run<{ submitShipmentFeedback: { feedback: { id: string } | null; userErrors: unknown[] } }>(
        `mutation($input: SubmitShipmentFeedbackInput!) { submitShipmentFeedback(input: $input) { feedback { id } userErrors { message } } }`,
        { input: { shipmentId: shipment.id, rating: 5, condition: "PRISTINE" } },
        t.buyer.token,
      ),
    );
    expect(submitted.submitShipmentFeedback.userErrors).toEqual([]);
    const answered = ok(
      await run<{ respondToFeedback: { userErrors: unknown[] } }>(
        `mutation($input: RespondToFeedbackInput!) { respondToFeedback(input: $input) { userErrors { message } } }`,
        { input: { id: submitted.submitShipmentFeedback.feedback!.id, response: "Thank you." } },
        people.manager.token,
      ),
    );
    expect(answered.respondToFeedback.userErrors).toEqual([]);

    const rows = (await eventsOf(t.distributor.id)).filter((r) => r.data.shipmentId === shipment.id);
    expect(typesOf(rows)).toEqual([
      "shipment.created",
      "shipment.air_waybill_set",
      "shipment.tracking_number_set",
      "shipment.eta_changed",
      "shipment.tracking_event_recorded",
      "shipment.delivered",
      "shipment.tracking_event_recorded",
      "feedback.submitted",
      "feedback.answered",
    ]);
    const byType = new Map(rows.map((r) => [r.type, r.data]));
    expect(byType.get("shipment.air_waybill_set")).toMatchObject({ orderId: order.id, previous: null });
    expect(String(byType.get("shipment.air_waybill_set")!.airwayBill).replace(/\D/g, "")).toBe(awb.replace(/\D/g, ""));
    expect(byType.get("shipment.tracking_number_set")).toMatchObject({ trackingNumber: tracking });
    expect(byType.get("shipment.eta_changed")).toMatchObject({ from: null, to: expect.any(String) });
    expect(byType.get("feedback.submitted")).toMatchObject({ rating: 5, condition: "PRISTINE" });
    // The order followed its shipment: its moves are events too.
    const orderMoves = (await eventsOf(t.distributor.id)).filter((r) => r.type === "order.status_changed" && r.data.orderId === order.id).map((r) => r.data.to);
    expect(orderMoves).toEqual(["CONFIRMED", "IN_PRODUCTION", "QUALITY_CHECK", "PACKED", "SHIPPED", "DELIVERED"]);
  });
});

describe("design briefs", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet);
  });

  test("status changes, quotes and comments are events; an internal note is not", async () => {
    const brief = await briefIn(facet, company, "QUOTED");
    const comment = (body: string, internal: boolean, token: string) =>
      run<{ addDesignBriefComment: { userErrors: unknown[] } }>(
        `mutation($input: AddDesignBriefCommentInput!) { addDesignBriefComment(input: $input) { userErrors { message } } }`,
        { input: { briefId: brief.id, body, internal } },
        token,
      );
    expect(ok(await comment("Can the band be thinner?", false, company.tokens.buyer)).addDesignBriefComment.userErrors).toEqual([]);
    expect(ok(await comment("Margin is thin on this one.", true, company.tokens.manager)).addDesignBriefComment.userErrors).toEqual([]);

    const rows = (await eventsOf(company.distributor.id)).filter((r) => r.data.designBriefId === brief.id);
    expect(rows.map((r) => [r.type, r.data.to ?? null])).toEqual([
      ["design_brief.status_changed", "DRAFT"],
      ["design_brief.status_changed", "SUBMITTED"],
      ["design_brief.status_changed", "IN_REVIEW"],
      ["design_brief.quoted", null],
      ["design_brief.status_changed", "QUOTED"],
      ["design_brief.commented", null],
    ]);
    expect(rows[5].data).toMatchObject({ reference: brief.reference, fromExporter: false });
    expect(JSON.stringify(rows)).not.toContain("Margin");
  });
});

describe("events(after:, types:)", () => {
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    a = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
    b = await tenant(facet.dataSource, facet.config, { currency: "EUR" });
    for (const t of [a, b]) {
      const variantId = await stockedVariant(facet, t.distributor);
      const order = await placeOrder(facet, t.buyer.token, [{ variantId, quantity: 1 }]);
      await confirm(order.id);
    }
  });

  test("a distributor reads its own events, oldest first, and never another's", async () => {
    const mine = await eventsOf(a.distributor.id);
    const wanted = mine.filter((r) => ["order.placed", "order.confirmed"].includes(r.type)).length;
    // Another test file's open transaction may hold the sync horizon back for a moment.
    const seen = await whenSynced(
      async () => ok(await run<EventsAnswer>(EVENTS, { first: 100, types: ["order.placed", "order.confirmed"] }, a.buyer.token)).events!.nodes,
      (nodes) => nodes.length >= wanted,
    );
    const theirs = new Set((await eventsOf(b.distributor.id)).map((r) => String(r.data.orderId)));
    expect(seen.filter((e) => theirs.has(String(e.data.orderId)))).toEqual([]);
    expect(seen.map((e) => e.type)).toEqual(mine.filter((r) => ["order.placed", "order.confirmed"].includes(r.type)).map((r) => r.type));
    const times = seen.map((e) => Date.parse(e.occurredAt));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    const bSees = await whenSynced(
      async () => ok(await run<EventsAnswer>(EVENTS, { first: 100, types: ["order.placed"] }, b.buyer.token)).events!.nodes,
      (nodes) => nodes.length >= 1,
    );
    expect(bSees.filter((e) => e.type === "order.placed").map((e) => e.data.orderId)).toEqual([...theirs].filter((id) => id !== "undefined").slice(0, 1));
  });

  test("a cursor reads on from where the last page stopped, without a gap or a repeat", async () => {
    // The distributor's own types: the shared catalog's events of other test files may arrive meanwhile.
    const types = ["order.placed", "order.confirmed", "order.status_changed"];
    const all = (
      await whenSynced(
        async () => ok(await run<EventsAnswer>(EVENTS, { first: 100, types }, a.buyer.token)).events!.nodes,
        (nodes) => nodes.length >= 3,
      )
    ).map((e) => e.id);
    expect(all.length).toBe(3);
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: NonNullable<EventsAnswer["events"]> = ok(await run<EventsAnswer>(EVENTS, { first: 1, after, types }, a.buyer.token)).events!;
      paged.push(...page.nodes.map((e) => e.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all);
  });

  test("an ERP client sees the events of the domains its scopes read", async () => {
    const ordersOnly = await whenSynced(
      async () => ok(await run<EventsAnswer>(EVENTS, { first: 100 }, a.erpWith("orders:read"))).events!.nodes,
      (nodes) => nodes.length > 0,
    );
    expect(ordersOnly.length).toBeGreaterThan(0);
    expect(ordersOnly.every((e) => e.type.startsWith("order."))).toBe(true);
    const catalogOnly = ok(await run<EventsAnswer>(EVENTS, { first: 100, types: ["order.placed"] }, a.erpWith("catalog:read"))).events!.nodes;
    expect(catalogOnly).toEqual([]);
  });

  test("an unknown type is a bad argument naming it", async () => {
    const answer = await run<EventsAnswer>(EVENTS, { types: ["order.placed", "order.exploded"] }, a.buyer.token);
    expect(errorCodes(answer)).toEqual(["BAD_USER_INPUT"]);
    expect(answer.errors![0].message).toContain('"order.exploded"');
    expect(answer.errors![0].extensions).toMatchObject({ argument: "types" });
  });

  test("events are for signed-in callers only", async () => {
    expect(errorCodes(await run<EventsAnswer>(EVENTS, {}))).toEqual(["UNAUTHENTICATED"]);
  });
});

test("docs/events.md lists every event type", () => {
  const doc = readFileSync(path.join(__dirname, "..", "docs", "events.md"), "utf8");
  expect(ALL_EVENT_TYPES.filter((type) => !doc.includes(`| \`${type}\` |`))).toEqual([]);
});

test("events older than 30 days are deleted by the retention job, and younger ones kept", async () => {
  const t = await tenant(facet.dataSource, facet.config);
  const [old, young] = (await facet.dataSource.query(
    `INSERT INTO events (type, distributor_id, occurred_at, data)
     VALUES ('order.placed', $1, now() - interval '31 days', '{}'), ('order.placed', $1, now() - interval '29 days', '{}') RETURNING id`,
    [t.distributor.id],
  )) as { id: string }[];
  await EVENTS_RETENTION.run({ id: "retention-test", kind: EVENTS_RETENTION.kind, payload: {}, attempt: 1, maxAttempts: 1 }, { dataSource: facet.dataSource });
  const left = ((await facet.dataSource.query(`SELECT id FROM events WHERE id = ANY($1)`, [[old.id, young.id]])) as { id: string }[]).map((r) => r.id);
  expect(left).toEqual([young.id]);
});
