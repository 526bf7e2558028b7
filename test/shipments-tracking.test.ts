import { randomUUID } from "node:crypto";
import { idOfType, toGlobalId } from "../src/graphql/node";
import { ShipEventsDocument, ShipOrderDocument, ShipRecordEventDocument, type RecordTrackingEventInput } from "./generated/graphql";
import { twoTenants } from "./support/factories";
import { errorCodes, ok, onRealPostgres, startFacet, type TestFacet } from "./support/harness";
import {
  asReceived,
  createShipment,
  hoursFromNow,
  packedOrder,
  parcel,
  recordEvent,
  shipmentInput,
  shipmentsOfOneOrder,
  stockedVariant,
  type CreatedShipment,
} from "./support/shipment-factories";

let facet: TestFacet;
let tenants: Awaited<ReturnType<typeof twoTenants>>;
let tokens: { buyer: string; manager: string };

beforeAll(async () => {
  facet = await startFacet();
  tenants = await twoTenants(facet.dataSource, facet.config);
  tokens = { buyer: tenants.a.tokens.buyer, manager: tenants.staff.manager };
});
afterAll(() => facet.stop());

const record = (input: RecordTrackingEventInput) => recordEvent(facet, tokens.manager, input);
const attempt = async (input: RecordTrackingEventInput) =>
  asReceived(ok(await facet.gql(ShipRecordEventDocument, { input }, { token: tokens.manager })).recordTrackingEvent);
const events = async (shipmentId: string, first = 20, after?: string | null) =>
  asReceived(ok(await facet.gql(ShipEventsDocument, { id: shipmentId, first, after }, { token: tokens.buyer })).shipment!.events);
const eventRows = (shipmentId: string) =>
  facet.dataSource.query(`SELECT status, description, carrier_event_id FROM tracking_events WHERE shipment_id = $1 ORDER BY seq`, [idOfType(shipmentId, "Shipment")]);
const orderOf = async (orderId: string) => ok(await facet.gql(ShipOrderDocument, { id: orderId }, { token: tokens.buyer })).order!;
const oneShipment = async () => (await shipmentsOfOneOrder(facet, tenants.a.distributor, tokens, 1)).shipments[0];
const iso = (at: string) => new Date(at).toISOString();

describe("recordTrackingEvent", () => {
  it("appends events with their time, status, place, description and the carrier's own code, newest first", async () => {
    const shipment = await oneShipment();
    const first = await record({
      shipmentId: shipment.id,
      occurredAt: "2026-01-05T09:30:00+05:30",
      status: "INFO_RECEIVED",
      location: " Jaipur, IN ",
      description: "Shipment information received",
      carrierCode: "BKD",
      carrierEventId: "evt-1",
    });
    expect(first.event).toEqual({
      occurredAt: "2026-01-05T04:00:00.000Z",
      status: "INFO_RECEIVED",
      location: "Jaipur, IN",
      description: "Shipment information received",
      carrierCode: "BKD",
      carrierEventId: "evt-1",
      estimatedDeliveryAt: null,
    });
    expect(first.shipment!.status).toBe("INFO_RECEIVED");
    await record({ shipmentId: shipment.id, occurredAt: "2026-01-05T18:10:00+04:00", status: "IN_TRANSIT", location: "Dubai, AE", description: "Arrived at hub", carrierCode: "ARR" });
    await record({ shipmentId: shipment.id, occurredAt: "2026-01-05T08:00:00Z", status: "IN_TRANSIT", location: "Delhi, IN", description: "Departed", carrierCode: "dep" });

    const page = await events(shipment.id);
    expect(page.edges.map((e) => [e.node.occurredAt, e.node.carrierCode])).toEqual([
      ["2026-01-05T14:10:00.000Z", "ARR"],
      ["2026-01-05T08:00:00.000Z", "dep"],
      ["2026-01-05T04:00:00.000Z", "BKD"],
    ]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, endCursor: page.edges[2].cursor });
  });

  it("records the same carrier event id once and answers with the event first recorded", async () => {
    const [shipment, other] = (await shipmentsOfOneOrder(facet, tenants.a.distributor, tokens, 2)).shipments;
    const input = { shipmentId: shipment.id, occurredAt: hoursFromNow(-3), status: "IN_TRANSIT" as const, description: "Departed", carrierEventId: "DHL-778899" };
    const first = await record(input);
    const again = await record({ ...input, occurredAt: hoursFromNow(-1), status: "EXCEPTION", description: "Departed (resent)" });
    expect(again.event).toEqual(first.event);
    expect(again.shipment!.status).toBe("IN_TRANSIT");
    expect(await eventRows(shipment.id)).toEqual([{ status: "IN_TRANSIT", description: "Departed", carrier_event_id: "DHL-778899" }]);
    // Event ids are the carrier's, per shipment.
    await record({ ...input, shipmentId: other.id });
    expect(await eventRows(other.id)).toHaveLength(1);
  });

  it("records an event sent twice at the same moment once", async () => {
    const shipment = await oneShipment();
    const input = { shipmentId: shipment.id, occurredAt: hoursFromNow(-2), status: "IN_TRANSIT" as const, description: "Departed", carrierEventId: "FX-1" };
    const payloads = await Promise.all([attempt(input), attempt(input), attempt(input)]);
    expect(payloads.map((p) => p.userErrors)).toEqual([[], [], []]);
    expect(new Set(payloads.map((p) => JSON.stringify(p.event))).size).toBe(1);
    expect(await eventRows(shipment.id)).toHaveLength(1);
  });

  it("derives status and ETA from the latest events by time, whatever order they arrive in", async () => {
    const shipment = await oneShipment();
    const eta = [hoursFromNow(50), hoursFromNow(60), hoursFromNow(40), hoursFromNow(70)].map(iso);
    const booked = await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-10), status: "INFO_RECEIVED", description: "Booked", estimatedDeliveryAt: eta[0] });
    expect(booked.shipment).toMatchObject({ status: "INFO_RECEIVED", estimatedDeliveryAt: eta[0], shippedAt: null, promisedDeliveryAt: null, deliveredAt: null });

    // Handed over: the ETA known now is the promise on-time delivery is measured against.
    const departed = hoursFromNow(-8);
    const handed = await record({ shipmentId: shipment.id, occurredAt: departed, status: "IN_TRANSIT", description: "Departed", estimatedDeliveryAt: eta[1] });
    expect(handed.shipment).toMatchObject({ status: "IN_TRANSIT", estimatedDeliveryAt: eta[1], shippedAt: iso(departed), promisedDeliveryAt: eta[1] });

    const held = await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-6), status: "CUSTOMS_HOLD", description: "Held by customs" });
    expect(held.shipment).toMatchObject({ status: "CUSTOMS_HOLD", estimatedDeliveryAt: eta[1] });

    const cleared = await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-4), status: "IN_TRANSIT", description: "Cleared", estimatedDeliveryAt: eta[2] });
    expect(cleared.shipment).toMatchObject({ status: "IN_TRANSIT", estimatedDeliveryAt: eta[2], promisedDeliveryAt: eta[1] });

    // An older event arriving late changes neither the status nor the ETA.
    const late = await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-7), status: "CUSTOMS_HOLD", description: "Reported to customs", estimatedDeliveryAt: eta[3] });
    expect(late.shipment).toMatchObject({ status: "IN_TRANSIT", estimatedDeliveryAt: eta[2], promisedDeliveryAt: eta[1], shippedAt: iso(departed) });

    await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-2), status: "OUT_FOR_DELIVERY", description: "With courier" });
    const failed = await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-1.5), status: "FAILED_ATTEMPT", description: "Nobody home" });
    expect(failed.shipment!.status).toBe("FAILED_ATTEMPT");
    const deliveredAt = hoursFromNow(-1);
    const delivered = await record({ shipmentId: shipment.id, occurredAt: deliveredAt, status: "DELIVERED", description: "Signed for" });
    expect(delivered.shipment).toMatchObject({ status: "DELIVERED", deliveredAt: iso(deliveredAt), estimatedDeliveryAt: eta[2], promisedDeliveryAt: eta[1] });

    // A pickup scan sent after delivery, but timed before it, rolls nothing back.
    const stale = await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-9), status: "IN_TRANSIT", description: "Picked up" });
    expect(stale.shipment).toMatchObject({ status: "DELIVERED", deliveredAt: iso(deliveredAt), shippedAt: iso(stale.event!.occurredAt) });

    const statuses = (await events(shipment.id)).edges.map((e) => e.node.status);
    expect(statuses).toEqual(["DELIVERED", "FAILED_ATTEMPT", "OUT_FOR_DELIVERY", "IN_TRANSIT", "CUSTOMS_HOLD", "CUSTOMS_HOLD", "IN_TRANSIT", "IN_TRANSIT", "INFO_RECEIVED"]);
  });

  it("pages through events with cursors, and refuses a cursor of another list", async () => {
    const shipment = await oneShipment();
    // Two events at the same moment keep the order they were recorded in, newest first.
    const same = hoursFromNow(-3);
    for (const [at, description] of [[hoursFromNow(-5), "e1"], [same, "e2"], [same, "e3"], [hoursFromNow(-1), "e4"], [hoursFromNow(-4), "e5"]] as const) {
      await record({ shipmentId: shipment.id, occurredAt: at, status: "IN_TRANSIT", description });
    }
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof events>> = await events(shipment.id, 2, after);
      seen.push(...page.edges.map((e) => e.node.description));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor! : null;
    } while (after);
    expect(seen).toEqual(["e4", "e3", "e2", "e5", "e1"]);

    const bogus = Buffer.from(JSON.stringify({ o: "events-by-time", k: ["yesterday", "1", randomUUID()] })).toString("base64url");
    for (const cursor of [bogus, "not-a-cursor"]) {
      expect(errorCodes(await facet.gql(ShipEventsDocument, { id: shipment.id, first: 2, after: cursor }, { token: tokens.buyer }))).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it.each<[string, Partial<RecordTrackingEventInput>, string[], string]>([
    ["PENDING, which no event reports", { status: "PENDING" }, ["status"], "INVALID"],
    ["a time in the future", { occurredAt: hoursFromNow(1) }, ["occurredAt"], "OUT_OF_RANGE"],
    ["a blank description", { description: "  " }, ["description"], "REQUIRED"],
    ["a description of 501 characters", { description: "d".repeat(501) }, ["description"], "TOO_LONG"],
    ["a location of 201 characters", { location: "l".repeat(201) }, ["location"], "TOO_LONG"],
    ["a carrier code of 41 characters", { carrierCode: "C".repeat(41) }, ["carrierCode"], "TOO_LONG"],
    ["a carrier event id of 101 characters", { carrierEventId: "e".repeat(101) }, ["carrierEventId"], "TOO_LONG"],
    ["an unknown shipment", { shipmentId: toGlobalId("Shipment", randomUUID()) }, ["shipmentId"], "NOT_FOUND"],
  ])("refuses %s and writes nothing", async (_why, overrides, field, code) => {
    const shipment = await oneShipment();
    const payload = await attempt({ shipmentId: shipment.id, occurredAt: hoursFromNow(-1), status: "IN_TRANSIT", description: "Departed", ...overrides });
    expect(payload.shipment).toBeNull();
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual([[["input", ...field], code]]);
    expect(await eventRows(shipment.id)).toEqual([]);
    expect(ok(await facet.gql(ShipEventsDocument, { id: shipment.id }, { token: tokens.buyer })).shipment!.status).toBe("PENDING");
  });
});

describe("the order follows its shipments", () => {
  const history = async (orderId: string) => (await orderOf(orderId)).statusHistory.map((c) => [c.from, c.to, c.note]);

  it("becomes SHIPPED when its one shipment is handed over and DELIVERED when it arrives, and never goes back", async () => {
    const { order, shipments } = await shipmentsOfOneOrder(facet, tenants.a.distributor, tokens, 1);
    const [shipment] = shipments;
    await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-5), status: "INFO_RECEIVED", description: "Booked" });
    expect((await orderOf(order.id)).status).toBe("PACKED");
    await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-4), status: "IN_TRANSIT", description: "Departed" });
    expect((await orderOf(order.id)).status).toBe("SHIPPED");
    await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-1), status: "DELIVERED", description: "Signed for" });
    expect((await orderOf(order.id)).status).toBe("DELIVERED");
    const delivered = await history(order.id);
    expect(delivered.slice(-2)).toEqual([
      ["PACKED", "SHIPPED", "every line has shipped"],
      ["SHIPPED", "DELIVERED", "every shipment was delivered"],
    ]);

    // Late scans of a delivered shipment leave the order and its history alone.
    await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-3), status: "IN_TRANSIT", description: "Arrived at hub" });
    await record({ shipmentId: shipment.id, occurredAt: hoursFromNow(-2), status: "OUT_FOR_DELIVERY", description: "With courier" });
    expect((await orderOf(order.id)).status).toBe("DELIVERED");
    expect(await history(order.id)).toEqual(delivered);
  });

  it("waits for every unit of every line when the order ships in parts", async () => {
    const ring = await stockedVariant(facet, tenants.a.distributor);
    const order = await packedOrder(facet, tokens, [
      { variantId: ring, quantity: 3 },
      { variantId: ring, quantity: 1 },
    ]);
    // Two 3 g rings in each shipment: the packages' net weight is theirs.
    const first = await createShipment(facet, tokens.manager, shipmentInput(order.id, { lines: [{ lineNumber: 1, quantity: 2 }], packages: [parcel({ netWeightKg: "0.006" })] }));
    await record({ shipmentId: first.id, occurredAt: hoursFromNow(-6), status: "IN_TRANSIT", description: "Departed" });
    // Two of four units have left: the order says so.
    expect((await orderOf(order.id)).status).toBe("PARTIALLY_SHIPPED");

    const second = await createShipment(facet, tokens.manager, shipmentInput(order.id, { lines: [{ lineNumber: 1, quantity: 1 }, { lineNumber: 2 }], packages: [parcel({ netWeightKg: "0.006" })] }));
    await record({ shipmentId: first.id, occurredAt: hoursFromNow(-2), status: "DELIVERED", description: "Signed for" });
    // Every unit is in a shipment, but the second has not left yet: nothing is delivered whole.
    expect((await orderOf(order.id)).status).toBe("PARTIALLY_SHIPPED");
    await record({ shipmentId: second.id, occurredAt: hoursFromNow(-1.5), status: "INFO_RECEIVED", description: "Booked" });
    expect((await orderOf(order.id)).status).toBe("PARTIALLY_SHIPPED");
    await record({ shipmentId: second.id, occurredAt: hoursFromNow(-1), status: "IN_TRANSIT", description: "Departed" });
    expect((await orderOf(order.id)).status).toBe("SHIPPED");
    await record({ shipmentId: second.id, occurredAt: hoursFromNow(-0.5), status: "DELIVERED", description: "Signed for" });
    const read = await orderOf(order.id);
    expect(read.status).toBe("DELIVERED");
    expect(read.shipments!.map((s) => [s.id, s.status])).toEqual([
      [first.id, "DELIVERED"],
      [second.id, "DELIVERED"],
    ]);
    expect((await history(order.id)).slice(-3)).toEqual([
      ["PACKED", "PARTIALLY_SHIPPED", "shipped 2 of 4 units; the rest ships when ready"],
      ["PARTIALLY_SHIPPED", "SHIPPED", "every line has shipped"],
      ["SHIPPED", "DELIVERED", "every shipment was delivered"],
    ]);
  });

  onRealPostgres("is DELIVERED when its last two shipments arrive at the same moment", async () => {
    const { order, shipments } = await shipmentsOfOneOrder(facet, tenants.a.distributor, tokens, 2);
    for (const s of shipments) await record({ shipmentId: s.id, occurredAt: hoursFromNow(-5), status: "IN_TRANSIT", description: "Departed" });
    expect((await orderOf(order.id)).status).toBe("SHIPPED");
    // Hold the order row so that both deliveries are recorded and both then wait for the order:
    // whichever goes second must see the other's shipment delivered.
    const blocker = facet.dataSource.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    try {
      await blocker.query(`SELECT 1 FROM orders WHERE id = $1 FOR UPDATE`, [idOfType(order.id, "Order")]);
      const [{ pid }] = await blocker.query(`SELECT pg_backend_pid() AS pid`);
      const delivered = (s: CreatedShipment) => attempt({ shipmentId: s.id, occurredAt: hoursFromNow(-1), status: "DELIVERED", description: "Signed for" });
      const pending = Promise.all(shipments.map(delivered));
      let waiting = 0;
      // Within the data source's 2 s lock timeout.
      for (let i = 0; i < 30 && waiting < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        // Waiting for the blocker, or in line behind a session that is.
        [{ waiting }] = await facet.dataSource.query(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity w
           WHERE pg_blocking_pids(w.pid) && (ARRAY[$1::int] || ARRAY(SELECT x.pid FROM pg_stat_activity x WHERE $1 = ANY(pg_blocking_pids(x.pid))))`,
          [pid],
        );
      }
      expect(waiting).toBe(2);
      await blocker.commitTransaction();
      const payloads = await pending;
      expect(payloads.map((p) => p.userErrors)).toEqual([[], []]);
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
    }
    expect((await orderOf(order.id)).status).toBe("DELIVERED");
  });
});
