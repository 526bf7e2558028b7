import { ApiScope, UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import type { Distributor, User } from "../src/modules/accounts";
import type { Shipment } from "../src/modules/shipments";
import { FeedbackKpisDocument, type FeedbackKpisQuery, type FeedbackKpisQueryVariables } from "./generated/graphql";
import { clientToken, createApiClient, createDistributor, createUser, userToken } from "./support/factories";
import { ArrivalCondition, createFeedback, createOrder, createShipment, createShippedOrder, FeedbackIssue } from "./support/feedback-factories";
import { errorCodes, ok, startFacet, type TestFacet } from "./support/harness";

// A hand-computed fixture: twelve shipments of one distributor around March 2025, with every
// date, promise, value and report chosen so that each KPI of 2025-03-01..2025-03-31 can be
// worked out on paper (the working is beside each expectation below).

let facet: TestFacet;
let distributor: Distributor;
let other: Distributor;
let tokens: { manager: string; support: string; admin: string; buyer: string; otherAdmin: string; client: string };
const shipments: Record<string, Shipment> = {};

const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  facet = await startFacet();
  const ds = facet.dataSource;
  distributor = await createDistributor(ds, { currency: "EUR" });
  other = await createDistributor(ds, { currency: "USD" });
  const buyer = await createUser(ds, { distributor, role: UserRole.BUYER });
  const colleague = await createUser(ds, { distributor, role: UserRole.BUYER });
  const admin = await createUser(ds, { distributor, role: UserRole.DISTRIBUTOR_ADMIN });
  const otherAdmin = await createUser(ds, { distributor: other, role: UserRole.DISTRIBUTOR_ADMIN });
  const { client } = await createApiClient(ds, distributor);
  tokens = {
    manager: userToken(facet.config, await createUser(ds, { role: UserRole.EXPORT_MANAGER })),
    support: userToken(facet.config, await createUser(ds, { role: UserRole.SUPPORT })),
    admin: userToken(facet.config, admin),
    buyer: userToken(facet.config, buyer),
    otherAdmin: userToken(facet.config, otherAdmin),
    client: clientToken(facet.config, client, [ApiScope.SHIPMENTS_READ, ApiScope.ORDERS_READ]),
  };

  const one = async (
    name: string,
    spec: { placedAt: string; promisedShipDate: string; shippedAt: string; eta: string | null; deliveredAt: string | null; currency?: "EUR" | "USD"; lines: [number, string][] },
  ) => {
    const { shipment } = await createShippedOrder(ds, {
      distributor,
      placedBy: buyer,
      placedAt: at(spec.placedAt),
      promisedShipDate: spec.promisedShipDate,
      currency: spec.currency,
      lines: spec.lines.map(([quantity, unitPrice]) => ({ quantity, unitPrice })),
      shippedAt: at(spec.shippedAt),
      promisedDeliveryAt: spec.eta ? at(spec.eta) : null,
      deliveredAt: spec.deliveredAt ? at(spec.deliveredAt) : null,
    });
    shipments[name] = shipment;
  };

  // name      placed            promised    shipped                        ETA at handover              delivered                      value
  await one("S1", { placedAt: "2025-02-20T10:00:00Z", promisedShipDate: "2025-03-03", shippedAt: "2025-03-03T12:00:00Z", eta: "2025-03-06T18:00:00Z", deliveredAt: "2025-03-06T09:00:00Z", lines: [[2, "500.00"], [1, "250.50"]] });
  await one("S2", { placedAt: "2025-02-25T00:00:00Z", promisedShipDate: "2025-03-05", shippedAt: "2025-03-07T06:00:00Z", eta: "2025-03-10T12:00:00Z", deliveredAt: "2025-03-12T15:00:00Z", lines: [[3, "100.00"]] });
  // Delivered exactly at the ETA: on time.
  await one("S3", { placedAt: "2025-03-01T08:00:00Z", promisedShipDate: "2025-03-10", shippedAt: "2025-03-09T08:00:00Z", eta: "2025-03-12T00:00:00Z", deliveredAt: "2025-03-12T00:00:00Z", currency: "USD", lines: [[1, "999.99"]] });
  // The last millisecond of `to` is in the range ...
  await one("S4", { placedAt: "2025-03-18T10:00:00Z", promisedShipDate: "2025-03-28", shippedAt: "2025-03-28T10:00:00Z", eta: "2025-04-01T00:00:00Z", deliveredAt: "2025-03-31T23:59:59.999Z", currency: "USD", lines: [[2, "1000.00"]] });
  // ... midnight after it is not (but it shipped in the range).
  await one("S5", { placedAt: "2025-03-19T00:00:00Z", promisedShipDate: "2025-03-28", shippedAt: "2025-03-29T00:00:00Z", eta: "2025-03-31T12:00:00Z", deliveredAt: "2025-04-01T00:00:00.000Z", lines: [[1, "400.00"]] });
  // Midnight at the start of `from` is in; it shipped the millisecond before the range, and without an ETA.
  await one("S6", { placedAt: "2025-02-10T00:00:00Z", promisedShipDate: "2025-02-25", shippedAt: "2025-02-26T23:59:59.999Z", eta: null, deliveredAt: "2025-03-01T00:00:00.000Z", lines: [[1, "50.00"]] });
  // Local dates mislead: shipped on 30 March in New York, which is 31 March UTC (a day late);
  // delivered on 31 March in New York, which is 1 April UTC (out).
  await one("S7", { placedAt: "2025-03-20T00:00:00Z", promisedShipDate: "2025-03-30", shippedAt: "2025-03-30T20:00:00-05:00", eta: "2025-04-01T12:00:00Z", deliveredAt: "2025-03-31T22:30:00-05:00", lines: [[1, "80.00"]] });
  // Delivered on 1 March in Athens, which is still 28 February UTC (out).
  await one("S8", { placedAt: "2025-02-15T00:00:00Z", promisedShipDate: "2025-02-25", shippedAt: "2025-02-25T12:00:00Z", eta: "2025-02-28T23:00:00Z", deliveredAt: "2025-03-01T01:30:00+02:00", lines: [[1, "10.00"]] });
  // Delivered on 1 April in Paris, which is 31 March UTC (in), an hour after an ETA given in Paris time (late).
  await one("S9", { placedAt: "2025-03-20T00:00:00Z", promisedShipDate: "2025-03-27", shippedAt: "2025-03-27T15:00:00Z", eta: "2025-03-31T02:00:00+02:00", deliveredAt: "2025-04-01T01:00:00+02:00", currency: "USD", lines: [[1, "500.00"]] });
  // Still in transit.
  await one("S10", { placedAt: "2025-03-10T00:00:00Z", promisedShipDate: "2025-03-20", shippedAt: "2025-03-20T09:00:00Z", eta: "2025-03-25T12:00:00Z", deliveredAt: null, lines: [[2, "75.25"]] });

  // One order in two shipments: it has shipped when its last line has, three days late.
  const { order: split } = await createOrder(ds, { distributor, placedBy: buyer, placedAt: at("2025-03-01T00:00:00Z"), promisedShipDate: "2025-03-15", lines: [{ quantity: 1, unitPrice: "200.00" }, { quantity: 1, unitPrice: "300.00" }] });
  shipments.S11a = await createShipment(ds, split, { lineNumbers: [1], shippedAt: at("2025-03-14T12:00:00Z"), promisedDeliveryAt: at("2025-03-17T12:00:00Z"), deliveredAt: at("2025-03-17T10:00:00Z") });
  shipments.S11b = await createShipment(ds, split, { lineNumbers: [2], shippedAt: at("2025-03-18T12:00:00Z"), promisedDeliveryAt: at("2025-03-21T12:00:00Z"), deliveredAt: at("2025-03-20T08:00:00Z") });

  const report = (name: string, author: User, rating: number, condition: ArrivalCondition, issues: FeedbackIssue[], createdAt: string) =>
    createFeedback(ds, shipments[name], { author, rating, condition, issues, comment: issues.includes(FeedbackIssue.OTHER) ? "Wrong box colour" : null, createdAt: at(createdAt) });
  const { PRISTINE, MINOR_ISSUES, DAMAGED } = ArrivalCondition;
  const { LATE, DAMAGED_PACKAGING, DAMAGED_ITEM, MISSING_ITEM, DOCUMENTATION_ERROR, OTHER } = FeedbackIssue;
  await report("S1", buyer, 5, PRISTINE, [], "2025-03-07T10:00:00Z");
  await report("S2", buyer, 2, DAMAGED, [LATE, DAMAGED_PACKAGING, DOCUMENTATION_ERROR], "2025-03-13T09:00:00Z");
  await report("S2", colleague, 3, MINOR_ISSUES, [DOCUMENTATION_ERROR], "2025-03-15T09:00:00Z");
  await report("S3", buyer, 4, MINOR_ISSUES, [DOCUMENTATION_ERROR], "2025-03-14T09:00:00Z");
  await report("S5", buyer, 1, DAMAGED, [DAMAGED_ITEM, MISSING_ITEM], "2025-04-02T09:00:00Z");
  await report("S6", buyer, 3, MINOR_ISSUES, [OTHER], "2025-03-02T09:00:00Z");
  await report("S9", buyer, 4, MINOR_ISSUES, [LATE], "2025-04-01T01:30:00+02:00");
  await report("S11b", buyer, 5, PRISTINE, [], "2025-03-21T09:00:00Z");

  // Another distributor's shipment in the same month, which no figure of ours may count.
  const { shipment: foreign } = await createShippedOrder(ds, {
    distributor: other,
    placedAt: at("2025-03-01T00:00:00Z"),
    promisedShipDate: "2025-03-02",
    lines: [{ quantity: 1, unitPrice: "7777.00" }],
    shippedAt: at("2025-03-05T00:00:00Z"),
    promisedDeliveryAt: at("2025-03-06T00:00:00Z"),
    deliveredAt: at("2025-03-09T00:00:00Z"),
  });
  const otherBuyer = await createUser(ds, { distributor: other, role: UserRole.BUYER });
  await createFeedback(ds, foreign, { author: otherBuyer, rating: 1, condition: DAMAGED, issues: [DAMAGED_ITEM, DOCUMENTATION_ERROR], createdAt: at("2025-03-10T00:00:00Z") });
});
afterAll(() => facet.stop());

const kpis = (token: string, variables: FeedbackKpisQueryVariables) => facet.gql(FeedbackKpisDocument, variables, { token });
const ours = (from: string, to: string, token = tokens.manager) => kpis(token, { from, to, distributorId: toGlobalId("Distributor", distributor.id) });
const issues = (counts: Partial<Record<FeedbackIssue, number>>) =>
  Object.values(FeedbackIssue).map((issue) => ({ issue, count: counts[issue] ?? 0 }));

const MARCH: FeedbackKpisQuery["exportKpis"] = {
  from: "2025-03-01",
  to: "2025-03-31",
  // Delivered in [03-01T00:00Z, 04-01T00:00Z): S1, S2, S3, S4, S6, S9, S11a, S11b.
  shipmentsDelivered: 8,
  // With an ETA at handover: all but S6 (7); by it: S1, S3 (exactly at it), S4, S11a, S11b = 5/7.
  onTimeDeliveryRate: "0.7143",
  // Shipped in range: S1 266 h, S2 246 h, S3 192 h, S4 240 h, S5 240 h, S7 265 h, S9 183 h,
  // S10 249 h, S11a 324 h, S11b 420 h after their order: 2625 h / 10 = 10.9375 days.
  averageOrderToShipDays: "10.94",
  // Orders whose last line shipped in range, by UTC day against the promise: O1 0, O2 +2, O3 −1,
  // O4 0, O5 +1, O7 +1 (UTC), O9 0, O10 0, O11 +3 (its last shipment). Kept: 5 of 9.
  leadTimePromiseKeptRate: "0.5556",
  // (0 + 2 − 1 + 0 + 1 + 1 + 0 + 0 + 3) / 9 = 6 / 9.
  averageShipDelayDays: "0.67",
  // Submitted in range: 5, 2, 3, 4, 3, 4 (31 March 23:30 UTC), 5 = 26 / 7; S5's came in April.
  averageRating: "3.71",
  feedbackCount: 7,
  issueCounts: issues({ LATE: 2, DAMAGED_PACKAGING: 1, DOCUMENTATION_ERROR: 3, OTHER: 1 }),
  // Delivered shipments with a documentation error reported: S2 (twice, counted once) and S3: 2 / 8.
  documentationErrorShare: "0.2500",
  // Shipped in range. EUR: S1 1250.50, S2 300, S5 400, S7 80, S10 150.50, S11a 200, S11b 300.
  // USD: S3 999.99, S4 2000, S9 500.
  shippedValue: [
    { amount: "2681.00", currency: "EUR" },
    { amount: "3499.99", currency: "USD" },
  ],
};

const ZERO: Omit<FeedbackKpisQuery["exportKpis"], "from" | "to"> = {
  shipmentsDelivered: 0,
  onTimeDeliveryRate: "0.0000",
  averageOrderToShipDays: "0.00",
  leadTimePromiseKeptRate: "0.0000",
  averageShipDelayDays: "0.00",
  averageRating: "0.00",
  feedbackCount: 0,
  issueCounts: issues({}),
  documentationErrorShare: "0.0000",
  shippedValue: [],
};

describe("exportKpis", () => {
  it("computes every figure of a month from the hand-worked fixture", async () => {
    expect(ok(await ours("2025-03-01", "2025-03-31")).exportKpis).toEqual(MARCH);
  });

  it("counts by UTC day at both ends of the range", async () => {
    const day = async (date: string) => ok(await ours(date, date)).exportKpis;
    // 31 March: S4 at 23:59:59.999Z and S9 at 23:00Z (01:00 in Paris on 1 April).
    expect((await day("2025-03-31"))!.shipmentsDelivered).toBe(2);
    // 1 April: S5 at 00:00Z and S7 at 03:30Z (22:30 in New York on 31 March).
    expect((await day("2025-04-01"))!.shipmentsDelivered).toBe(2);
    // 1 March: S6 at 00:00Z only; S8 (01:30 in Athens) belongs to 28 February.
    expect((await day("2025-03-01"))!.shipmentsDelivered).toBe(1);
    expect((await day("2025-02-28"))!.shipmentsDelivered).toBe(1);
    // S7 shipped on 31 March UTC (30 March in New York) and S5 on 29 March.
    const lastDay = await day("2025-03-31");
    expect(lastDay!.shippedValue).toEqual([{ amount: "80.00", currency: "EUR" }]);
    expect(lastDay).toMatchObject({ leadTimePromiseKeptRate: "0.0000", averageShipDelayDays: "1.00", averageOrderToShipDays: "11.04" });
    // S9's report, sent at 01:30 in Paris on 1 April, is a 31 March report.
    expect(lastDay).toMatchObject({ feedbackCount: 1, averageRating: "4.00", issueCounts: issues({ LATE: 1 }) });
  });

  it("gives zeros, not errors, for a range with nothing in it", async () => {
    expect(ok(await ours("2024-01-01", "2024-01-31")).exportKpis).toEqual({ from: "2024-01-01", to: "2024-01-31", ...ZERO });
    // A distributor with no shipments at all, over a day.
    const empty = await createDistributor(facet.dataSource);
    expect(ok(await kpis(tokens.support, { from: "2025-03-15", to: "2025-03-15", distributorId: toGlobalId("Distributor", empty.id) })).exportKpis).toEqual({
      from: "2025-03-15",
      to: "2025-03-15",
      ...ZERO,
    });
  });

  it("refuses a range that ends before it starts, or spans more than two years", async () => {
    const backwards = await ours("2025-03-31", "2025-03-01");
    expect(errorCodes(backwards)).toEqual(["BAD_USER_INPUT"]);
    expect(backwards.errors![0].extensions).toMatchObject({ argument: "to" });
    expect(errorCodes(await ours("2023-01-01", "2025-01-02"))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await ours("2025-02-30", "2025-03-01"))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await kpis(tokens.manager, { from: "2025-03-01", to: "2025-03-31", distributorId: toGlobalId("Order", distributor.id) }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("lets support staff read it, and staff read every distributor at once", async () => {
    expect(ok(await ours("2025-03-01", "2025-03-31", tokens.support)).exportKpis).toEqual(MARCH);
    const all = ok(await kpis(tokens.manager, { from: "2025-03-01", to: "2025-03-31" })).exportKpis;
    // Everyone's March holds ours and the other distributor's shipment.
    expect(all!.shipmentsDelivered).toBeGreaterThanOrEqual(MARCH.shipmentsDelivered + 1);
    expect(all!.feedbackCount).toBeGreaterThanOrEqual(MARCH.feedbackCount + 1);
    const usd = all!.shippedValue.find((m) => m.currency === "USD")!;
    expect(Number(usd.amount)).toBeGreaterThanOrEqual(3499.99 + 7777);
  });

  it("gives a distributor admin its own company's figures and no one else's", async () => {
    expect(ok(await kpis(tokens.admin, { from: "2025-03-01", to: "2025-03-31" })).exportKpis).toEqual(MARCH);
    expect(ok(await kpis(tokens.admin, { from: "2025-03-01", to: "2025-03-31", distributorId: toGlobalId("Distributor", distributor.id) })).exportKpis).toEqual(MARCH);
    const theirs = ok(await kpis(tokens.otherAdmin, { from: "2025-03-01", to: "2025-03-31" })).exportKpis;
    expect(theirs).toMatchObject({ shipmentsDelivered: 1, onTimeDeliveryRate: "0.0000", feedbackCount: 1, documentationErrorShare: "1.0000", shippedValue: [{ amount: "7777.00", currency: "USD" }] });

    // Another distributor's id is refused exactly as an id that names no distributor.
    const foreign = await kpis(tokens.otherAdmin, { from: "2025-03-01", to: "2025-03-31", distributorId: toGlobalId("Distributor", distributor.id) });
    const missing = await kpis(tokens.otherAdmin, { from: "2025-03-01", to: "2025-03-31", distributorId: toGlobalId("Distributor", "00000000-0000-4000-8000-000000000000") });
    expect(errorCodes(foreign)).toEqual(["FORBIDDEN"]);
    // (The rate-limit report differs by what the bucket regained between the two.)
    expect({ data: foreign.data, errors: foreign.errors }).toEqual({ data: missing.data, errors: missing.errors });
  });

  it("is refused to buyers, API clients and anonymous callers", async () => {
    expect(errorCodes(await ours("2025-03-01", "2025-03-31", tokens.buyer))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await ours("2025-03-01", "2025-03-31", tokens.client))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await facet.gql(FeedbackKpisDocument, { from: "2025-03-01", to: "2025-03-31" }))).toEqual(["UNAUTHENTICATED"]);
  });

  it("is one SQL statement over the range, whatever the data", async () => {
    const statements = async (from: string, to: string) => {
      const seen: string[] = [];
      const counter = facet.statements as unknown as { logQuery(query: string): void };
      const count = counter.logQuery;
      counter.logQuery = function (query: string) {
        seen.push(query);
        count.call(this, query);
      };
      try {
        ok(await ours(from, to));
      } finally {
        counter.logQuery = count;
      }
      return seen;
    };
    const month = await statements("2025-03-01", "2025-03-31");
    // Besides the request's own transaction and scope, a single statement reads the tables.
    expect(month.filter((q) => /\bshipments\b|\bshipment_feedback\b|\borders\b/.test(q))).toHaveLength(1);
    expect(await statements("2024-01-01", "2024-01-31")).toEqual(month);
  });
});

