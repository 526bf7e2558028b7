import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { toGlobalId } from "../src/graphql/node";
import { Incoterm } from "../src/graphql/scalars";
import {
  BriefAcceptDocument,
  BriefByIdDocument,
  BriefDeclineDocument,
  BriefOfOrderDocument,
  BriefQuoteDocument,
  BriefRequestRevisionDocument,
  BriefStartReviewDocument,
  BriefSubmitDocument,
  BriefThreadDocument,
  BriefUpdateDocument,
  BriefWithdrawDocument,
  type QuoteDesignBriefInput,
} from "./generated/graphql";
import { exporterToday, shipDateWithinCalendarDays } from "./support/calendar";
import { briefCompany, briefDbId, briefIn, briefSnapshot, dateFromToday, quoteInput, timeOf, type BriefCompany, type BriefHandle } from "./support/briefs-factories";
import { ok, startFacet, type TestFacet } from "./support/harness";

// The brief's workflow: every transition from every status, optimistic locking under
// concurrent editors, quotes, their expiry, and the order an accepted quote becomes.

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

type Refusal = { userErrors: { field: string[] | null; code: string }[] };
const fieldsAndCodes = (payload: Refusal) => payload.userErrors.map((e) => [e.field, e.code]);
const path = (...parts: (string | number)[]) => parts.map(String);

const STATUSES = ["DRAFT", "SUBMITTED", "IN_REVIEW", "QUOTED", "ACCEPTED", "DECLINED", "WITHDRAWN"] as const;
type Status = (typeof STATUSES)[number];
const ACTIONS = ["UPDATE", "SUBMIT", "START_REVIEW", "QUOTE", "ACCEPT", "DECLINE", "REQUEST_REVISION", "WITHDRAW"] as const;
type Action = (typeof ACTIONS)[number];

// The workflow as the issue states it, written out independently of the code under test.
const LEGAL: Record<Status, Partial<Record<Action, Status>>> = {
  DRAFT: { UPDATE: "DRAFT", SUBMIT: "SUBMITTED", WITHDRAW: "WITHDRAWN" },
  SUBMITTED: { START_REVIEW: "IN_REVIEW", WITHDRAW: "WITHDRAWN" },
  IN_REVIEW: { QUOTE: "QUOTED", WITHDRAW: "WITHDRAWN" },
  QUOTED: { QUOTE: "QUOTED", ACCEPT: "ACCEPTED", DECLINE: "DECLINED", WITHDRAW: "WITHDRAWN" },
  ACCEPTED: {},
  DECLINED: { REQUEST_REVISION: "IN_REVIEW", WITHDRAW: "WITHDRAWN" },
  WITHDRAWN: {},
};
// Where each action is legal, for the tests that need it to be.
const HOME: Record<Action, Status> = {
  UPDATE: "DRAFT",
  SUBMIT: "DRAFT",
  START_REVIEW: "SUBMITTED",
  QUOTE: "IN_REVIEW",
  ACCEPT: "QUOTED",
  DECLINE: "QUOTED",
  REQUEST_REVISION: "DECLINED",
  WITHDRAW: "SUBMITTED",
};
const BY_STAFF: readonly Action[] = ["START_REVIEW", "QUOTE"];

interface StepResult {
  designBrief: { id: string; status: string; version: number } | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}

/** Takes `action` on the brief as the party who may (the buyer, or the export manager for staff actions). */
async function perform(company: BriefCompany, action: Action, brief: BriefHandle, expectedVersion = brief.version): Promise<StepResult> {
  const id = brief.id;
  const buyer = { token: company.tokens.buyer };
  const manager = { token: company.tokens.manager };
  switch (action) {
    case "UPDATE":
      return ok(await facet.gql(BriefUpdateDocument, { input: { id, expectedVersion, quantity: 77 } }, buyer)).updateDesignBrief;
    case "SUBMIT":
      return ok(await facet.gql(BriefSubmitDocument, { input: { id, expectedVersion } }, buyer)).submitDesignBrief;
    case "START_REVIEW":
      return ok(await facet.gql(BriefStartReviewDocument, { input: { id, expectedVersion } }, manager)).startDesignBriefReview;
    case "QUOTE":
      return ok(await facet.gql(BriefQuoteDocument, { input: quoteInput(id, expectedVersion, company.currency) }, manager)).quoteDesignBrief;
    case "ACCEPT":
      return ok(await facet.gql(BriefAcceptDocument, { input: { id, expectedVersion } }, buyer)).acceptDesignBriefQuote;
    case "DECLINE":
      return ok(await facet.gql(BriefDeclineDocument, { input: { id, expectedVersion } }, buyer)).declineDesignBriefQuote;
    case "REQUEST_REVISION":
      return ok(await facet.gql(BriefRequestRevisionDocument, { input: { id, expectedVersion, comment: "Another round, please" } }, buyer)).requestDesignBriefRevision;
    case "WITHDRAW":
      return ok(await facet.gql(BriefWithdrawDocument, { input: { id, expectedVersion } }, buyer)).withdrawDesignBrief;
  }
}

const read = async (company: BriefCompany, id: string, token = company.tokens.buyer) => ok(await facet.gql(BriefByIdDocument, { id }, { token })).designBrief!;

describe("the workflow, action by action from every status", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet);
  });

  const cells = STATUSES.flatMap((status) => ACTIONS.map((action) => [status, action, LEGAL[status][action] ?? null] as const));

  it.each(cells)("%s, %s → %s", async (status, action, to) => {
    const brief = await briefIn(facet, company, status);
    const before = await briefSnapshot(facet.dataSource, brief.id);
    const result = await perform(company, action, brief);
    const after = await briefSnapshot(facet.dataSource, brief.id);

    if (to === null) {
      expect(result.designBrief).toBeNull();
      expect(fieldsAndCodes(result)).toEqual([[path("input", "id"), "INVALID_STATE"]]);
      expect(result.userErrors[0].message).toContain(status);
      expect(after).toEqual(before);
      return;
    }
    expect(result.userErrors).toEqual([]);
    expect(result.designBrief).toMatchObject({ id: brief.id, status: to, version: brief.version + 1 });
    expect(after).toMatchObject({ status: to, version: (before.version as number) + 1, order_count: action === "ACCEPT" ? 1 : 0 });
    expect(after.quote_count).toBe((before.quote_count as number) + (action === "QUOTE" ? 1 : 0));
    const history = (await read(company, brief.id)).statusHistory;
    if (action === "UPDATE") {
      expect(after.history_count).toBe(before.history_count);
    } else {
      expect(after.history_count).toBe((before.history_count as number) + 1);
      const actor = BY_STAFF.includes(action) ? company.users.manager : company.users.buyer;
      expect(history.at(-1)).toMatchObject({ from: status, to, by: actor.name });
    }
  });

  it("names the refused action in words", async () => {
    const brief = await briefIn(facet, company, "ACCEPTED");
    const messages = [];
    for (const action of ACTIONS) messages.push((await perform(company, action, brief)).userErrors[0].message);
    expect(messages).toEqual([
      "A brief that is ACCEPTED cannot be edited",
      "A brief that is ACCEPTED cannot be submitted",
      "A brief that is ACCEPTED cannot be taken into review",
      "A brief that is ACCEPTED cannot be quoted",
      "A brief that is ACCEPTED cannot have its quote accepted",
      "A brief that is ACCEPTED cannot have its quote declined",
      "A brief that is ACCEPTED cannot go into another round",
      "A brief that is ACCEPTED cannot be withdrawn",
    ]);
  });
});

describe("a brief from draft to accepted quote, through a declined round", () => {
  it("records every change with who made it, when, and the note given", async () => {
    const company = await briefCompany(facet);
    const { buyer, admin, manager } = company.users;
    const started = Date.now();
    const draft = await briefIn(facet, company, "DRAFT", { quantity: 300 });
    const submitted = ok(await facet.gql(BriefSubmitDocument, { input: { id: draft.id, expectedVersion: 1, note: "Priced for Q3" } }, { token: company.tokens.buyer })).submitDesignBrief;
    const reviewing = ok(await facet.gql(BriefStartReviewDocument, { input: { id: draft.id, expectedVersion: 2 } }, { token: company.tokens.manager })).startDesignBriefReview;
    expect(reviewing.designBrief).toMatchObject({ status: "IN_REVIEW", version: 3 });

    const quote = quoteInput(draft.id, 3, "EUR", { note: "Hollow casting" });
    const quoted = ok(await facet.gql(BriefQuoteDocument, { input: quote }, { token: company.tokens.manager })).quoteDesignBrief;
    expect(quoted.designBrief).toMatchObject({ status: "QUOTED", version: 4 });

    const declined = ok(await facet.gql(BriefDeclineDocument, { input: { id: draft.id, expectedVersion: 4, note: "Too dear for us" } }, { token: company.tokens.admin })).declineDesignBriefQuote;
    expect(declined.designBrief).toMatchObject({ status: "DECLINED", version: 5 });

    // Another round needs a comment saying what should change.
    const before = await briefSnapshot(facet.dataSource, draft.id);
    for (const [comment, code] of [
      ["  ", "REQUIRED"],
      ["x".repeat(5001), "TOO_LONG"],
    ] as const) {
      const refused = ok(await facet.gql(BriefRequestRevisionDocument, { input: { id: draft.id, expectedVersion: 5, comment } }, { token: company.tokens.buyer }));
      expect(fieldsAndCodes(refused.requestDesignBriefRevision)).toEqual([[path("input", "comment"), code]]);
    }
    expect(await briefSnapshot(facet.dataSource, draft.id)).toEqual(before);

    const again = ok(
      await facet.gql(BriefRequestRevisionDocument, { input: { id: draft.id, expectedVersion: 5, comment: "Could solid silver wings work at 600?" } }, { token: company.tokens.buyer }),
    ).requestDesignBriefRevision;
    expect(again.designBrief).toMatchObject({ status: "IN_REVIEW", version: 6 });
    const revised = ok(
      await facet.gql(BriefQuoteDocument, { input: quoteInput(draft.id, 6, "EUR", { unitPrice: { amount: "610.00", currency: "EUR" }, quantityBreaks: [] }) }, { token: company.tokens.manager }),
    ).quoteDesignBrief;
    expect(revised.designBrief).toMatchObject({ status: "QUOTED", version: 7 });
    expect(revised.designBrief!.quote).toMatchObject({ unitPrice: { amount: "610.00" }, quantityBreaks: [], applicableUnitPrice: { amount: "610.00", currency: "EUR" } });

    const accepted = ok(await facet.gql(BriefAcceptDocument, { input: { id: draft.id, expectedVersion: 7 } }, { token: company.tokens.client })).acceptDesignBriefQuote;
    expect(accepted.userErrors).toEqual([]);
    const finished = Date.now();

    const brief = await read(company, draft.id);
    expect(brief).toMatchObject({ status: "ACCEPTED", version: 8 });
    const orderNumber = brief.order!.number;
    expect(brief.statusHistory.map(({ from, to, by, note }) => ({ from, to, by, note }))).toEqual([
      { from: null, to: "DRAFT", by: buyer.name, note: null },
      { from: "DRAFT", to: "SUBMITTED", by: buyer.name, note: "Priced for Q3" },
      { from: "SUBMITTED", to: "IN_REVIEW", by: manager.name, note: null },
      { from: "IN_REVIEW", to: "QUOTED", by: manager.name, note: "Hollow casting" },
      { from: "QUOTED", to: "DECLINED", by: admin.name, note: "Too dear for us" },
      { from: "DECLINED", to: "IN_REVIEW", by: buyer.name, note: "another round requested" },
      { from: "IN_REVIEW", to: "QUOTED", by: manager.name, note: null },
      { from: "QUOTED", to: "ACCEPTED", by: company.client.name, note: `order ${orderNumber} placed` },
    ]);
    const times = brief.statusHistory.map((h) => timeOf(h.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[0]).toBeGreaterThanOrEqual(started - 1000);
    expect(times.at(-1)).toBeLessThanOrEqual(finished + 1000);
    expect(submitted.designBrief?.version).toBe(2);

    // The decline note and the request for another round are in the thread, by who wrote them.
    const thread = ok(await facet.gql(BriefThreadDocument, { id: draft.id }, { token: company.tokens.buyer })).designBrief!.comments;
    expect(thread.edges.map((e) => ({ author: e.node.author, body: e.node.body, fromExporter: e.node.fromExporter }))).toEqual([
      { author: admin.name, body: "Too dear for us", fromExporter: false },
      { author: buyer.name, body: "Could solid silver wings work at 600?", fromExporter: false },
    ]);
  });
});

describe("expectedVersion", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet);
  });

  it.each(ACTIONS)("%s with a stale version answers STALE_VERSION and writes nothing", async (action) => {
    const brief = await briefIn(facet, company, HOME[action]);
    const before = await briefSnapshot(facet.dataSource, brief.id);
    for (const stale of [brief.version - 1, brief.version + 1]) {
      const result = await perform(company, action, brief, stale);
      expect(result.designBrief).toBeNull();
      expect(fieldsAndCodes(result)).toEqual([[path("input", "expectedVersion"), "STALE_VERSION"]]);
    }
    expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);
    // The current version still works.
    expect((await perform(company, action, brief)).userErrors).toEqual([]);
  });

  async function post<TData, TVars>(document: TypedDocumentNode<TData, TVars>, variables: TVars, token: string): Promise<TData> {
    const response = await fetch(await facet.url("/graphql"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: TData; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  }

  it("lets exactly one of two editors with the same version win, over separate HTTP requests", async () => {
    const brief = await briefIn(facet, company, "DRAFT");
    const [first, second] = await Promise.all([
      post(BriefUpdateDocument, { input: { id: brief.id, expectedVersion: 1, title: "Edited by the buyer" } }, company.tokens.buyer),
      post(BriefUpdateDocument, { input: { id: brief.id, expectedVersion: 1, title: "Edited by the admin" } }, company.tokens.admin),
    ]);
    const payloads = [first.updateDesignBrief, second.updateDesignBrief];
    const winners = payloads.filter((p) => p.userErrors.length === 0);
    const losers = payloads.filter((p) => p.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(fieldsAndCodes(losers[0])).toEqual([[path("input", "expectedVersion"), "STALE_VERSION"]]);
    expect(losers[0].designBrief).toBeNull();
    expect(winners[0].designBrief).toMatchObject({ version: 2 });
    const row = await briefSnapshot(facet.dataSource, brief.id);
    expect(row).toMatchObject({ version: 2, title: winners[0].designBrief!.title });
  });

  it("lets exactly one of several concurrent workflow steps through", async () => {
    const brief = await briefIn(facet, company, "SUBMITTED");
    const action = { id: brief.id, expectedVersion: brief.version };
    const results = await Promise.all([
      post(BriefStartReviewDocument, { input: action }, company.tokens.manager).then((d) => d.startDesignBriefReview),
      post(BriefWithdrawDocument, { input: action }, company.tokens.buyer).then((d) => d.withdrawDesignBrief),
      post(BriefWithdrawDocument, { input: action }, company.tokens.admin).then((d) => d.withdrawDesignBrief),
      post(BriefStartReviewDocument, { input: action }, company.tokens.manager).then((d) => d.startDesignBriefReview),
    ]);
    const winners = results.filter((r) => r.userErrors.length === 0);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.userErrors.length > 0)) {
      expect(fieldsAndCodes(loser)).toEqual([[path("input", "expectedVersion"), "STALE_VERSION"]]);
    }
    const row = await briefSnapshot(facet.dataSource, brief.id);
    expect(row).toMatchObject({ version: brief.version + 1, status: winners[0].designBrief!.status, history_count: 3 });
  });

  it("places one order when the same quote is accepted twice at once", async () => {
    const brief = await briefIn(facet, company, "QUOTED");
    const input = { id: brief.id, expectedVersion: brief.version };
    const results = await Promise.all([
      post(BriefAcceptDocument, { input }, company.tokens.buyer).then((d) => d.acceptDesignBriefQuote),
      post(BriefAcceptDocument, { input }, company.tokens.admin).then((d) => d.acceptDesignBriefQuote),
      post(BriefAcceptDocument, { input }, company.tokens.client).then((d) => d.acceptDesignBriefQuote),
    ]);
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(1);
    expect(results.flatMap((r) => r.userErrors.map((e) => e.code)).sort()).toEqual(["STALE_VERSION", "STALE_VERSION"]);
    expect(await briefSnapshot(facet.dataSource, brief.id)).toMatchObject({ status: "ACCEPTED", version: brief.version + 1, order_count: 1 });
  });
});

describe("quoteDesignBrief", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet);
  });

  it("records unit price, quantity breaks, lead time, sample date and validity; the break the quantity reaches applies", async () => {
    const small = await briefIn(facet, company, "IN_REVIEW", { quantity: 120 });
    const large = await briefIn(facet, company, "IN_REVIEW", { quantity: 600 });
    const breaks = [
      { minQuantity: 250, unitPrice: "640.00" },
      { minQuantity: 500, unitPrice: "615.5" },
      { minQuantity: 1000, unitPrice: "590.00" },
    ];
    const quotedAt = Date.now();
    for (const brief of [small, large]) {
      const input = quoteInput(brief.id, brief.version, "EUR", { quantityBreaks: breaks, leadTimeDays: 45, sampleDate: dateFromToday(9), validUntil: dateFromToday(7), note: "Incl. rhodium" });
      const { quoteDesignBrief } = ok(await facet.gql(BriefQuoteDocument, { input }, { token: company.tokens.manager }));
      expect(quoteDesignBrief.userErrors).toEqual([]);
      expect(quoteDesignBrief.designBrief!.quote).toMatchObject({
        unitPrice: { amount: "690.00", currency: "EUR" },
        quantityBreaks: [
          { minQuantity: 250, unitPrice: { amount: "640.00", currency: "EUR" } },
          { minQuantity: 500, unitPrice: { amount: "615.50", currency: "EUR" } },
          { minQuantity: 1000, unitPrice: { amount: "590.00", currency: "EUR" } },
        ],
        leadTimeDays: 45,
        sampleDate: dateFromToday(9),
        validUntil: dateFromToday(7),
        expired: false,
        note: "Incl. rhodium",
      });
      expect(timeOf(quoteDesignBrief.designBrief!.quote!.quotedAt)).toBeGreaterThanOrEqual(quotedAt - 1000);
    }
    expect((await read(company, small.id)).quote!.applicableUnitPrice).toEqual({ amount: "690.00", currency: "EUR" });
    expect((await read(company, large.id)).quote!.applicableUnitPrice).toEqual({ amount: "615.50", currency: "EUR" });
    const [row] = await facet.dataSource.query(`SELECT * FROM design_brief_quotes WHERE brief_id = $1`, [briefDbId(large.id)]);
    expect(row).toMatchObject({ unit_price: "690.0000", currency: "EUR", lead_time_days: 45, valid_until: dateFromToday(7), quoted_by_user_id: company.users.manager.id });
  });

  it("replaces an open quote with a revised one", async () => {
    const brief = await briefIn(facet, company, "QUOTED");
    const { quoteDesignBrief } = ok(
      await facet.gql(BriefQuoteDocument, { input: quoteInput(brief.id, brief.version, "EUR", { unitPrice: { amount: "675.00", currency: "EUR" }, leadTimeDays: 40 }) }, { token: company.tokens.manager }),
    );
    expect(quoteDesignBrief.designBrief).toMatchObject({ status: "QUOTED", version: brief.version + 1, quote: { unitPrice: { amount: "675.00" }, leadTimeDays: 40 } });
    const history = (await read(company, brief.id)).statusHistory;
    expect(history.at(-1)).toMatchObject({ from: "QUOTED", to: "QUOTED", note: "revised quote" });
  });

  const refusals: [string, Partial<QuoteDesignBriefInput>, string[], string][] = [
    ["a price in another currency", { unitPrice: { amount: "690.00", currency: "USD" } }, path("input", "unitPrice", "currency"), "INVALID"],
    ["a price with too many decimals", { unitPrice: { amount: "690.001", currency: "EUR" } }, path("input", "unitPrice", "amount"), "INVALID"],
    ["a price of zero", { unitPrice: { amount: "0", currency: "EUR" }, quantityBreaks: [] }, path("input", "unitPrice", "amount"), "OUT_OF_RANGE"],
    ["a lead time of zero days", { leadTimeDays: 0 }, path("input", "leadTimeDays"), "OUT_OF_RANGE"],
    ["a lead time over two years", { leadTimeDays: 731 }, path("input", "leadTimeDays"), "OUT_OF_RANGE"],
    ["a sample date in the past", { sampleDate: dateFromToday(-1) }, path("input", "sampleDate"), "OUT_OF_RANGE"],
    ["a validity that has passed", { validUntil: dateFromToday(-1) }, path("input", "validUntil"), "OUT_OF_RANGE"],
    ["a validity beyond a year", { validUntil: dateFromToday(400) }, path("input", "validUntil"), "OUT_OF_RANGE"],
    ["a note over 2000 characters", { note: "x".repeat(2001) }, path("input", "note"), "TOO_LONG"],
    ["a break from one unit", { quantityBreaks: [{ minQuantity: 1, unitPrice: "600.00" }] }, path("input", "quantityBreaks", 0, "minQuantity"), "OUT_OF_RANGE"],
    ["a break price above the base price", { quantityBreaks: [{ minQuantity: 250, unitPrice: "700.00" }] }, path("input", "quantityBreaks", 0, "unitPrice"), "INVALID"],
    ["a break price equal to the base price", { quantityBreaks: [{ minQuantity: 250, unitPrice: "690.00" }] }, path("input", "quantityBreaks", 0, "unitPrice"), "INVALID"],
    ["a break price with too many decimals", { quantityBreaks: [{ minQuantity: 250, unitPrice: "640.005" }] }, path("input", "quantityBreaks", 0, "unitPrice"), "INVALID"],
    [
      "breaks out of order",
      {
        quantityBreaks: [
          { minQuantity: 500, unitPrice: "600.00" },
          { minQuantity: 250, unitPrice: "640.00" },
        ],
      },
      path("input", "quantityBreaks", 1, "minQuantity"),
      "INVALID",
    ],
    [
      "more than ten breaks",
      { quantityBreaks: Array.from({ length: 11 }, (_, i) => ({ minQuantity: 100 * (i + 2), unitPrice: `${680 - i}.00` })) },
      path("input", "quantityBreaks"),
      "TOO_LONG",
    ],
  ];

  it.each(refusals)("refuses %s by name and writes nothing", async (_name, overrides, field, code) => {
    const brief = await briefIn(facet, company, "IN_REVIEW");
    const before = await briefSnapshot(facet.dataSource, brief.id);
    const { quoteDesignBrief } = ok(await facet.gql(BriefQuoteDocument, { input: quoteInput(brief.id, brief.version, "EUR", overrides) }, { token: company.tokens.manager }));
    expect(quoteDesignBrief.designBrief).toBeNull();
    expect(fieldsAndCodes(quoteDesignBrief)).toEqual([[field, code]]);
    expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);
  });

  it("refuses a price at which the brief's quantity would be more than one order can hold", async () => {
    const brief = await briefIn(facet, company, "IN_REVIEW", { quantity: 100_000, targetUnitPrice: null });
    const before = await briefSnapshot(facet.dataSource, brief.id);
    const input = quoteInput(brief.id, brief.version, "EUR", { unitPrice: { amount: "1000000000", currency: "EUR" }, quantityBreaks: [] });
    const { quoteDesignBrief } = ok(await facet.gql(BriefQuoteDocument, { input }, { token: company.tokens.manager }));
    expect(fieldsAndCodes(quoteDesignBrief)).toEqual([[path("input", "unitPrice", "amount"), "OUT_OF_RANGE"]]);
    expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);
  });

  it("prices in the distributor's currency with its decimal places", async () => {
    const yen = await briefCompany(facet, { currency: "JPY", country: "JP" });
    const brief = await briefIn(facet, yen, "IN_REVIEW", { targetUnitPrice: null });
    const refused = ok(
      await facet.gql(BriefQuoteDocument, { input: quoteInput(brief.id, brief.version, "JPY", { unitPrice: { amount: "98000.5", currency: "JPY" }, quantityBreaks: [] }) }, { token: yen.tokens.manager }),
    );
    expect(fieldsAndCodes(refused.quoteDesignBrief)).toEqual([[path("input", "unitPrice", "amount"), "INVALID"]]);
    const quoted = ok(
      await facet.gql(
        BriefQuoteDocument,
        { input: quoteInput(brief.id, brief.version, "JPY", { unitPrice: { amount: "98000", currency: "JPY" }, quantityBreaks: [{ minQuantity: 100, unitPrice: "95000" }] }) },
        { token: yen.tokens.manager },
      ),
    );
    expect(quoted.quoteDesignBrief.designBrief!.quote).toMatchObject({ unitPrice: { amount: "98000", currency: "JPY" }, applicableUnitPrice: { amount: "95000", currency: "JPY" } });
  });
});

describe("acceptDesignBriefQuote", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet, { defaultIncoterm: Incoterm.CIP });
  });

  it("places a pending order for the quoted piece at the price that applies, and the brief shows it", async () => {
    const brief = await briefIn(facet, company, "QUOTED", { quantity: 300, title: "Falcon pendant, 22K" });
    const { acceptDesignBriefQuote } = ok(await facet.gql(BriefAcceptDocument, { input: { id: brief.id, expectedVersion: brief.version } }, { token: company.tokens.buyer }));
    expect(acceptDesignBriefQuote.userErrors).toEqual([]);
    const order = acceptDesignBriefQuote.designBrief!.order!;
    expect(acceptDesignBriefQuote.designBrief).toMatchObject({ status: "ACCEPTED", version: brief.version + 1 });
    // The factory quotes 45 calendar days (the deprecated way): the order ships on the last business day within them.
    const shipDate = await shipDateWithinCalendarDays(facet, 45);
    // 300 units reach the break at 250: 640.00 each.
    expect(order).toEqual({
      id: expect.any(String),
      number: expect.stringMatching(new RegExp(`^EXP-${exporterToday().slice(0, 4)}-\\d{6,}$`)),
      status: "PENDING",
      buyerReference: brief.reference,
      currency: "EUR",
      estimatedShipDate: shipDate,
      total: { amount: "192000.00", currency: "EUR" },
      lines: [
        {
          lineNumber: 1,
          sku: brief.reference,
          // Named from what the quote says the piece is made of (QUOTED_PIECE).
          description: `${brief.reference} Falcon pendant, 22K, 22K gold with heated ruby`,
          quantity: 300,
          fromStock: 0,
          madeToOrder: 300,
          estimatedShipDate: shipDate,
          unitPrice: { amount: "640.00", currency: "EUR" },
          lineTotal: { amount: "192000.00", currency: "EUR" },
          variant: null,
        },
      ],
      designBrief: { id: brief.id, reference: brief.reference },
    });
    expect((await read(company, brief.id)).order).toEqual(order);
    const viaOrder = ok(await facet.gql(BriefOfOrderDocument, { id: order.id }, { token: company.tokens.buyer })).node;
    expect(viaOrder).toEqual({ number: order.number, designBrief: { id: brief.id, reference: brief.reference, status: "ACCEPTED" } });
    const [row] = await facet.dataSource.query(`SELECT status, total, incoterm, placed_by_user_id, distributor_id FROM orders WHERE design_brief_id = $1`, [briefDbId(brief.id)]);
    expect(row).toEqual({ status: "PENDING", total: "192000.0000", incoterm: "CIP", placed_by_user_id: company.users.buyer.id, distributor_id: company.distributor.id });
  });

  it("accepts a quote on its last valid day", async () => {
    const brief = await briefIn(facet, company, "QUOTED");
    await facet.dataSource.query(`UPDATE design_brief_quotes SET valid_until = $2 WHERE brief_id = $1`, [briefDbId(brief.id), dateFromToday(0)]);
    expect((await read(company, brief.id)).quote).toMatchObject({ validUntil: dateFromToday(0), expired: false });
    const { acceptDesignBriefQuote } = ok(await facet.gql(BriefAcceptDocument, { input: { id: brief.id, expectedVersion: brief.version } }, { token: company.tokens.buyer }));
    expect(acceptDesignBriefQuote.userErrors).toEqual([]);
    expect(acceptDesignBriefQuote.designBrief?.order?.total).toEqual({ amount: "82800.00", currency: "EUR" });
  });

  it("refuses a quote whose validity has passed, and writes nothing", async () => {
    const brief = await briefIn(facet, company, "QUOTED");
    await facet.dataSource.query(`UPDATE design_brief_quotes SET valid_until = $2 WHERE brief_id = $1`, [briefDbId(brief.id), dateFromToday(-1)]);
    expect((await read(company, brief.id)).quote).toMatchObject({ validUntil: dateFromToday(-1), expired: true });
    const before = await briefSnapshot(facet.dataSource, brief.id);
    const { acceptDesignBriefQuote } = ok(await facet.gql(BriefAcceptDocument, { input: { id: brief.id, expectedVersion: brief.version } }, { token: company.tokens.buyer }));
    expect(acceptDesignBriefQuote.designBrief).toBeNull();
    expect(fieldsAndCodes(acceptDesignBriefQuote)).toEqual([[path("input", "id"), "INVALID_STATE"]]);
    expect(acceptDesignBriefQuote.userErrors[0].message).toContain(dateFromToday(-1));
    expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);

    // A fresh quote can be accepted.
    const requoted = ok(await facet.gql(BriefQuoteDocument, { input: quoteInput(brief.id, brief.version, "EUR") }, { token: company.tokens.manager })).quoteDesignBrief;
    const accepted = ok(await facet.gql(BriefAcceptDocument, { input: { id: brief.id, expectedVersion: requoted.designBrief!.version } }, { token: company.tokens.buyer }));
    expect(accepted.acceptDesignBriefQuote.designBrief).toMatchObject({ status: "ACCEPTED" });
  });

  it("answers NOT_FOUND for an unknown brief", async () => {
    const { acceptDesignBriefQuote } = ok(
      await facet.gql(BriefAcceptDocument, { input: { id: toGlobalId("DesignBrief", "00000000-0000-4000-8000-000000000000"), expectedVersion: 1 } }, { token: company.tokens.buyer }),
    );
    expect(fieldsAndCodes(acceptDesignBriefQuote)).toEqual([[path("input", "id"), "NOT_FOUND"]]);
  });
});
