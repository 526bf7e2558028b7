import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { ApiScope, UserRole } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import type { Shipment } from "../src/modules/shipments";
import {
  FeedbackListDocument,
  FeedbackNodeDocument,
  FeedbackOfShipmentDocument,
  FeedbackRespondDocument,
  FeedbackShipmentsPageDocument,
  FeedbackSubmitDocument,
  FeedbackUpdateDocument,
  type FeedbackListQuery,
  type ShipmentFeedbackFilter,
  type SubmitShipmentFeedbackInput,
  type UpdateShipmentFeedbackInput,
} from "./generated/graphql";
import { clientToken, createApiClient, createUser, twoTenants, userToken } from "./support/factories";
import { createOrder, createShipment, deliveredShipment, feedbackId, shipmentId } from "./support/feedback-factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";

let facet: TestFacet;
let t: Awaited<ReturnType<typeof twoTenants>>;

beforeAll(async () => {
  facet = await startFacet();
  t = await twoTenants(facet.dataSource, facet.config);
});
afterAll(() => facet.stop());

const DAY = 86_400_000;

function as<TData, TVars extends Record<string, unknown>>(token: string, document: TypedDocumentNode<TData, TVars>, variables: TVars): Promise<GraphQLResult<TData>> {
  return facet.gql(document, variables, { token });
}

function sql<T = Record<string, any>>(text: string, params: unknown[] = []): Promise<T[]> {
  return facet.dataSource.query(text, params);
}

const rowsOf = (shipment: Shipment) => sql(`SELECT * FROM shipment_feedback WHERE shipment_id = $1 ORDER BY created_at, id`, [shipment.id]);
const shipmentUpdatedAt = async (shipment: Shipment) => ((await sql(`SELECT updated_at FROM shipments WHERE id = $1`, [shipment.id]))[0].updated_at as Date).getTime();

type Refusal = { userErrors: { field: string[] | null; code: string }[] };
const fieldsAndCodes = (payload: Refusal) => payload.userErrors.map((e) => [e.field, e.code]);

const submit = (token: string, input: SubmitShipmentFeedbackInput) => as(token, FeedbackSubmitDocument, { input });
const update = (token: string, input: UpdateShipmentFeedbackInput) => as(token, FeedbackUpdateDocument, { input });
const respond = (token: string, id: string, response: string) => as(token, FeedbackRespondDocument, { input: { id, response } });

/** A delivered shipment of two lines for distributor A, in an order whose third line went separately. */
async function deliveredOfA() {
  const { order } = await createOrder(facet.dataSource, {
    distributor: t.a.distributor,
    placedAt: new Date(Date.now() - 20 * DAY),
    promisedShipDate: new Date(Date.now() - 5 * DAY).toISOString().slice(0, 10),
    lines: [
      { quantity: 2, unitPrice: "500.00" },
      { quantity: 1, unitPrice: "250.00" },
      { quantity: 3, unitPrice: "40.00" },
    ],
  });
  const shipment = await createShipment(facet.dataSource, order, {
    lineNumbers: [1, 2],
    shippedAt: new Date(Date.now() - 4 * DAY),
    promisedDeliveryAt: new Date(Date.now() - DAY),
    deliveredAt: new Date(Date.now() - DAY),
  });
  const rest = await createShipment(facet.dataSource, order, { lineNumbers: [3], shippedAt: new Date(Date.now() - DAY) });
  return { order, shipment, rest };
}

const good = (shipment: Shipment): SubmitShipmentFeedbackInput => ({
  shipmentId: shipmentId(shipment),
  rating: 3,
  condition: "MINOR_ISSUES",
  issues: ["LATE", "DOCUMENTATION_ERROR"],
  affectedLineNumbers: [2],
  comment: "A day late and the packing list showed the wrong PO.",
});

describe("submitShipmentFeedback", () => {
  it("records a buyer's report on a delivered shipment of theirs, visible on the shipment", async () => {
    const { shipment } = await deliveredOfA();
    const before = await shipmentUpdatedAt(shipment);
    const payload = ok(await submit(t.a.tokens.buyer, { ...good(shipment), issues: ["LATE", "DOCUMENTATION_ERROR", "LATE"], affectedLineNumbers: [2, 1, 2], comment: "  A day late.  " })).submitShipmentFeedback;
    expect(payload.userErrors).toEqual([]);
    expect(payload.feedback).toMatchObject({
      rating: 3,
      condition: "MINOR_ISSUES",
      issues: ["LATE", "DOCUMENTATION_ERROR"],
      affectedLineNumbers: [1, 2],
      comment: "A day late.",
      authorName: t.a.buyer.name,
      response: null,
      respondedByName: null,
      respondedAt: null,
      editable: true,
      shipment: { id: shipmentId(shipment) },
    });
    const rows = await rowsOf(shipment);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ distributor_id: t.a.distributor.id, author_user_id: t.a.buyer.id, author_api_client_id: null, rating: 3, affected_line_numbers: [1, 2] });
    expect(payload.feedback!.id).toBe(feedbackId({ id: rows[0].id as string }));
    // Feedback is part of the shipment, so a shipment sync picks it up.
    expect(await shipmentUpdatedAt(shipment)).toBeGreaterThan(before);

    const seen = ok(await as(t.a.tokens.admin, FeedbackOfShipmentDocument, { id: shipmentId(shipment) })).shipment!;
    expect(seen.feedback).toEqual([payload.feedback]);
  });

  it("takes a pristine report with no issues and a comment of exactly 2000 characters", async () => {
    const { shipment } = await deliveredOfA();
    const comment = "x".repeat(2000);
    const payload = ok(await submit(t.a.tokens.admin, { shipmentId: shipmentId(shipment), rating: 5, condition: "PRISTINE", comment })).submitShipmentFeedback;
    expect(payload.userErrors).toEqual([]);
    expect(payload.feedback).toMatchObject({ rating: 5, condition: "PRISTINE", issues: [], affectedLineNumbers: [], comment });
  });

  async function expectRefused(input: SubmitShipmentFeedbackInput, shipment: Shipment, expected: [string[], string][], token = t.a.tokens.buyer) {
    const before = await shipmentUpdatedAt(shipment);
    const payload = ok(await submit(token, input)).submitShipmentFeedback;
    expect(payload.feedback).toBeNull();
    expect(fieldsAndCodes(payload)).toEqual(expected);
    expect(await rowsOf(shipment)).toEqual([]);
    expect(await shipmentUpdatedAt(shipment)).toBe(before);
    return payload;
  }

  it("refuses a rating outside 1 to 5", async () => {
    const { shipment } = await deliveredOfA();
    for (const rating of [0, 6, -1]) await expectRefused({ ...good(shipment), rating }, shipment, [[["input", "rating"], "OUT_OF_RANGE"]]);
  });

  it("refuses damage in a pristine arrival, and a damaged arrival that names no damage", async () => {
    const { shipment } = await deliveredOfA();
    await expectRefused({ ...good(shipment), condition: "PRISTINE", issues: ["DAMAGED_ITEM"] }, shipment, [[["input", "issues"], "INVALID"]]);
    await expectRefused({ ...good(shipment), condition: "PRISTINE", issues: ["LATE", "DAMAGED_PACKAGING"] }, shipment, [[["input", "issues"], "INVALID"]]);
    await expectRefused({ ...good(shipment), condition: "DAMAGED", issues: ["LATE", "MISSING_ITEM"] }, shipment, [[["input", "issues"], "REQUIRED"]]);
  });

  it("asks what an OTHER issue is", async () => {
    const { shipment } = await deliveredOfA();
    await expectRefused({ ...good(shipment), issues: ["OTHER"], comment: "   " }, shipment, [[["input", "comment"], "REQUIRED"]]);
  });

  it("refuses affected lines that are not in the shipment", async () => {
    const { shipment } = await deliveredOfA();
    // Line 3 is in the order but travelled in the other shipment; line 9 does not exist.
    const payload = await expectRefused({ ...good(shipment), affectedLineNumbers: [1, 3, 9] }, shipment, [[["input", "affectedLineNumbers"], "INVALID"]]);
    expect(payload.userErrors[0].message).toBe("Line 3, 9 is not in this shipment");
  });

  it("refuses a comment over 2000 characters or with control characters", async () => {
    const { shipment } = await deliveredOfA();
    await expectRefused({ ...good(shipment), comment: "x".repeat(2001) }, shipment, [[["input", "comment"], "TOO_LONG"]]);
    await expectRefused({ ...good(shipment), comment: "Box\u0007crushed" }, shipment, [[["input", "comment"], "INVALID"]]);
    // A NUL never reaches the rules: the request is refused before it runs, naming the variable path.
    const nul = await submit(t.a.tokens.buyer, { ...good(shipment), comment: "Box\u0000crushed" });
    expect(nul.errors?.map((e) => e.extensions)).toEqual([{ code: "BAD_USER_INPUT", argument: "input.comment" }]);
    expect(await rowsOf(shipment)).toEqual([]);
  });

  it("reports every bad field at once", async () => {
    const { shipment } = await deliveredOfA();
    await expectRefused({ ...good(shipment), rating: 9, condition: "PRISTINE", issues: ["DAMAGED_ITEM", "OTHER"], comment: "x".repeat(2001) }, shipment, [
      [["input", "rating"], "OUT_OF_RANGE"],
      [["input", "issues"], "INVALID"],
      [["input", "comment"], "TOO_LONG"],
      [["input", "comment"], "REQUIRED"],
    ]);
  });

  it("refuses a shipment that is not delivered yet", async () => {
    const { rest } = await deliveredOfA();
    await expectRefused(good(rest), rest, [[["input", "shipmentId"], "INVALID_STATE"]]);
  });

  it("answers another distributor's shipment exactly as a missing one", async () => {
    const { shipment } = await deliveredOfA();
    const foreign = await expectRefused(good(shipment), shipment, [[["input", "shipmentId"], "NOT_FOUND"]], t.b.tokens.buyer);
    const missing = ok(await submit(t.b.tokens.buyer, { ...good(shipment), shipmentId: toGlobalId("Shipment", "00000000-0000-4000-8000-000000000000") })).submitShipmentFeedback;
    expect(missing).toEqual(foreign);
    const notAShipment = ok(await submit(t.a.tokens.buyer, { ...good(shipment), shipmentId: toGlobalId("Order", shipment.orderId) })).submitShipmentFeedback;
    expect(notAShipment).toEqual(foreign);
  });

  it("takes one report per person per shipment; colleagues report separately", async () => {
    const { shipment } = await deliveredOfA();
    const first = ok(await submit(t.a.tokens.buyer, good(shipment))).submitShipmentFeedback;
    expect(first.userErrors).toEqual([]);
    const before = await rowsOf(shipment);

    const again = ok(await submit(t.a.tokens.buyer, { ...good(shipment), rating: 1, condition: "DAMAGED", issues: ["DAMAGED_ITEM"] })).submitShipmentFeedback;
    expect(again.feedback).toBeNull();
    expect(fieldsAndCodes(again)).toEqual([[["input", "shipmentId"], "TAKEN"]]);
    expect(await rowsOf(shipment)).toEqual(before);

    const colleague = await createUser(facet.dataSource, { distributor: t.a.distributor, role: UserRole.BUYER });
    const second = ok(await submit(userToken(facet.config, colleague), { ...good(shipment), rating: 4 })).submitShipmentFeedback;
    expect(second.userErrors).toEqual([]);
    const shown = ok(await as(t.a.tokens.buyer, FeedbackOfShipmentDocument, { id: shipmentId(shipment) })).shipment!.feedback;
    expect(shown.map((f) => f.rating)).toEqual([3, 4]);
  });

  it("lets an ERP client with feedback:write report, and no other client", async () => {
    const { shipment } = await deliveredOfA();
    const reader = await createApiClient(facet.dataSource, t.a.distributor, { scopes: [ApiScope.SHIPMENTS_READ, ApiScope.ORDERS_WRITE] });
    const refused = await submit(clientToken(facet.config, reader.client), good(shipment));
    expect(errorCodes(refused)).toEqual(["FORBIDDEN"]);
    expect(await rowsOf(shipment)).toEqual([]);

    const writer = await createApiClient(facet.dataSource, t.a.distributor, { scopes: [ApiScope.FEEDBACK_WRITE] });
    const writerToken = clientToken(facet.config, writer.client);
    // Reporting needs only feedback:write; reading the shipment it is about needs shipments:read.
    const submitted = await submit(writerToken, good(shipment));
    expect(submitted.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[["submitShipmentFeedback", "feedback", "shipment"], "FORBIDDEN"]]);
    const payload = submitted.data!.submitShipmentFeedback;
    expect(payload.userErrors).toEqual([]);
    expect(payload.feedback).toMatchObject({ authorName: writer.client.name, rating: 3 });
    const [row] = await rowsOf(shipment);
    expect(row).toMatchObject({ author_user_id: null, author_api_client_id: writer.client.id });
    // The client's report is its own: the buyer may still report, the client not twice.
    expect(ok(await submit(t.a.tokens.buyer, good(shipment))).submitShipmentFeedback.userErrors).toEqual([]);
    expect(fieldsAndCodes(ok(await submit(writerToken, good(shipment))).submitShipmentFeedback)).toEqual([[["input", "shipmentId"], "TAKEN"]]);
    // It edits its own report too.
    const edited = (await update(writerToken, { id: payload.feedback!.id, rating: 2, condition: "MINOR_ISSUES", issues: ["LATE"] })).data!.updateShipmentFeedback;
    expect(edited.userErrors).toEqual([]);
    expect(edited.feedback).toMatchObject({ rating: 2, issues: ["LATE"], comment: null });
  });

  it("is for distributors' people only: staff cannot report", async () => {
    const { shipment } = await deliveredOfA();
    for (const token of [t.staff.manager, t.staff.support]) expect(errorCodes(await submit(token, good(shipment)))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await facet.gql(FeedbackSubmitDocument, { input: good(shipment) }))).toEqual(["UNAUTHENTICATED"]);
    expect(await rowsOf(shipment)).toEqual([]);
  });
});

describe("updateShipmentFeedback", () => {
  async function submitted() {
    const { shipment } = await deliveredOfA();
    const feedback = ok(await submit(t.a.tokens.buyer, good(shipment))).submitShipmentFeedback.feedback!;
    const id = (await rowsOf(shipment))[0].id as string;
    return { shipment, feedback, id };
  }
  // The report's age is its created_at; moving it back is how a test lets time pass.
  const submittedAgo = (id: string, ms: number) => sql(`UPDATE shipment_feedback SET created_at = now() - make_interval(secs => $2::double precision / 1000) WHERE id = $1`, [id, ms]);

  const edit = (id: string): UpdateShipmentFeedbackInput => ({ id, rating: 2, condition: "DAMAGED", issues: ["DAMAGED_PACKAGING", "LATE"], affectedLineNumbers: [1], comment: "The carton was crushed too." });

  it("replaces the report while it is less than 14 days old", async () => {
    const { feedback, id, shipment } = await submitted();
    await submittedAgo(id, 14 * DAY - 60_000);
    const before = await shipmentUpdatedAt(shipment);
    const payload = ok(await update(t.a.tokens.buyer, edit(feedback.id))).updateShipmentFeedback;
    expect(payload.userErrors).toEqual([]);
    expect(payload.feedback).toMatchObject({ id: feedback.id, rating: 2, condition: "DAMAGED", issues: ["DAMAGED_PACKAGING", "LATE"], affectedLineNumbers: [1], comment: "The carton was crushed too.", editable: true });
    expect(Date.parse(payload.feedback!.updatedAt)).toBeGreaterThan(Date.parse(payload.feedback!.createdAt));
    const [row] = await rowsOf(shipment);
    expect(row).toMatchObject({ rating: 2, condition: "DAMAGED", issues: ["DAMAGED_PACKAGING", "LATE"], affected_line_numbers: [1] });
    // An edit changes the shipment as a sync sees it, as the first report did.
    expect(await shipmentUpdatedAt(shipment)).toBeGreaterThan(before);
  });

  it("refuses an edit after 14 days, and says so on reads", async () => {
    const { feedback, id, shipment } = await submitted();
    await submittedAgo(id, 14 * DAY + 60_000);
    const before = await rowsOf(shipment);
    const payload = ok(await update(t.a.tokens.buyer, edit(feedback.id))).updateShipmentFeedback;
    expect(payload.feedback).toBeNull();
    expect(fieldsAndCodes(payload)).toEqual([[["input", "id"], "INVALID_STATE"]]);
    expect(await rowsOf(shipment)).toEqual(before);
    const shown = ok(await as(t.a.tokens.buyer, FeedbackNodeDocument, { id: feedback.id })).node;
    expect(shown).toMatchObject({ __typename: "ShipmentFeedback", editable: false, rating: 3 });
  });

  it("applies the same rules as submitting", async () => {
    const { feedback, shipment } = await submitted();
    const before = await rowsOf(shipment);
    const cases: [Partial<UpdateShipmentFeedbackInput>, [string[], string][]][] = [
      [{ rating: 0 }, [[["input", "rating"], "OUT_OF_RANGE"]]],
      [{ condition: "PRISTINE", issues: ["DAMAGED_ITEM"] }, [[["input", "issues"], "INVALID"]]],
      [{ affectedLineNumbers: [3] }, [[["input", "affectedLineNumbers"], "INVALID"]]],
      [{ comment: "y".repeat(2001) }, [[["input", "comment"], "TOO_LONG"]]],
    ];
    for (const [change, expected] of cases) {
      const payload = ok(await update(t.a.tokens.buyer, { ...edit(feedback.id), ...change })).updateShipmentFeedback;
      expect(fieldsAndCodes(payload)).toEqual(expected);
    }
    expect(await rowsOf(shipment)).toEqual(before);
  });

  it("lets only the author edit: a colleague's, another distributor's and a missing report read alike", async () => {
    const { feedback, shipment } = await submitted();
    const before = await rowsOf(shipment);
    const missing = ok(await update(t.a.tokens.buyer, edit(toGlobalId("ShipmentFeedback", "00000000-0000-4000-8000-000000000000")))).updateShipmentFeedback;
    expect(fieldsAndCodes(missing)).toEqual([[["input", "id"], "NOT_FOUND"]]);
    for (const token of [t.a.tokens.admin, t.a.tokens.client, t.b.tokens.buyer, t.b.tokens.admin]) {
      expect(ok(await update(token, edit(feedback.id))).updateShipmentFeedback).toEqual(missing);
    }
    for (const token of [t.staff.manager, t.staff.support]) expect(errorCodes(await update(token, edit(feedback.id)))).toEqual(["FORBIDDEN"]);
    expect(await rowsOf(shipment)).toEqual(before);
  });
});

describe("respondToFeedback", () => {
  async function reported() {
    const { shipment } = await deliveredOfA();
    const feedback = ok(await submit(t.a.tokens.buyer, good(shipment))).submitShipmentFeedback.feedback!;
    return { shipment, feedback };
  }

  it("records an export manager's answer, which the buyer then sees everywhere", async () => {
    const { shipment, feedback } = await reported();
    const before = await shipmentUpdatedAt(shipment);
    const payload = ok(await respond(t.staff.manager, feedback.id, "  Sorry for the delay; the packing list template is fixed.  ")).respondToFeedback;
    expect(payload.userErrors).toEqual([]);
    expect(payload.feedback).toMatchObject({ id: feedback.id, response: "Sorry for the delay; the packing list template is fixed.", respondedByName: "Test Person", rating: 3 });
    expect(Date.parse(payload.feedback!.respondedAt!)).toBeGreaterThan(Date.now() - 60_000);
    // A sync of shipments sees the answer as a change to the shipment.
    expect(await shipmentUpdatedAt(shipment)).toBeGreaterThan(before);

    const onShipment = ok(await as(t.a.tokens.buyer, FeedbackOfShipmentDocument, { id: shipmentId(shipment) })).shipment!.feedback;
    expect(onShipment).toEqual([payload.feedback]);
    expect(ok(await as(t.a.tokens.buyer, FeedbackNodeDocument, { id: feedback.id })).node).toMatchObject({ response: payload.feedback!.response });
    const listed = ok(await as(t.a.tokens.buyer, FeedbackListDocument, { first: 100, filter: { unanswered: false } })).shipmentFeedback!.edges.map((e) => e.node);
    expect(listed.find((f) => f.id === feedback.id)).toEqual(payload.feedback);

    // A second answer replaces the first.
    const again = ok(await respond(t.staff.manager, feedback.id, "Replacement sent with DHL 1234567890.")).respondToFeedback;
    expect(again.feedback!.response).toBe("Replacement sent with DHL 1234567890.");
  });

  it("needs a response of 1 to 2000 characters and a feedback that exists", async () => {
    const { shipment, feedback } = await reported();
    const before = await rowsOf(shipment);
    expect(fieldsAndCodes(ok(await respond(t.staff.manager, feedback.id, "   ")).respondToFeedback)).toEqual([[["input", "response"], "REQUIRED"]]);
    expect(fieldsAndCodes(ok(await respond(t.staff.manager, feedback.id, "z".repeat(2001))).respondToFeedback)).toEqual([[["input", "response"], "TOO_LONG"]]);
    const missing = ok(await respond(t.staff.manager, toGlobalId("ShipmentFeedback", "00000000-0000-4000-8000-000000000000"), "Thanks")).respondToFeedback;
    expect(missing.feedback).toBeNull();
    expect(fieldsAndCodes(missing)).toEqual([[["input", "id"], "NOT_FOUND"]]);
    expect(await rowsOf(shipment)).toEqual(before);
  });

  it("is for export managers only", async () => {
    const { shipment, feedback } = await reported();
    const before = await rowsOf(shipment);
    for (const token of [t.staff.support, t.a.tokens.buyer, t.a.tokens.admin, t.a.tokens.client, t.b.tokens.admin]) {
      expect(errorCodes(await respond(token, feedback.id, "We are on it."))).toEqual(["FORBIDDEN"]);
    }
    expect(await rowsOf(shipment)).toEqual(before);
  });
});

describe("shipmentFeedback and reading feedback", () => {
  // Distributor A's reports in this block, newest first, each with a known state.
  let mine: { id: string; condition: string; answered: boolean }[];
  let foreign: string;
  let foreignShipment: Shipment;
  // Distributors of their own, so that the lists hold exactly this block's reports.
  let a: typeof t.a;
  let b: typeof t.b;

  beforeAll(async () => {
    ({ a, b } = await twoTenants(facet.dataSource, facet.config));
    const reports: [SubmitShipmentFeedbackInput["condition"], SubmitShipmentFeedbackInput["issues"], boolean][] = [
      ["PRISTINE", [], true],
      ["DAMAGED", ["DAMAGED_ITEM"], false],
      ["MINOR_ISSUES", ["LATE"], false],
      ["DAMAGED", ["DAMAGED_PACKAGING"], true],
      ["PRISTINE", ["LATE"], false],
    ];
    mine = [];
    for (const [n, [condition, issues, answered]] of reports.entries()) {
      const { shipment } = await deliveredShipment(facet.dataSource, a.distributor);
      const f = ok(await submit(a.tokens.buyer, { shipmentId: shipmentId(shipment), rating: 1 + n, condition, issues })).submitShipmentFeedback.feedback!;
      if (answered) expect(ok(await respond(t.staff.manager, f.id, "Thank you.")).respondToFeedback.userErrors).toEqual([]);
      // Distinct, known submission times keep the newest-first order independent of the clock.
      await sql(`UPDATE shipment_feedback SET created_at = now() - make_interval(secs => $2) WHERE shipment_id = $1`, [shipment.id, 10 - n]);
      mine.unshift({ id: f.id, condition, answered });
    }
    ({ shipment: foreignShipment } = await deliveredShipment(facet.dataSource, b.distributor));
    foreign = ok(await submit(b.tokens.buyer, { shipmentId: shipmentId(foreignShipment), rating: 4, condition: "PRISTINE" })).submitShipmentFeedback.feedback!.id;
  });

  async function listAll(token: string, filter?: ShipmentFeedbackFilter | null, first = 2) {
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const { shipmentFeedback }: FeedbackListQuery = ok(await as(token, FeedbackListDocument, { first, after, filter }));
      ids.push(...shipmentFeedback!.edges.map((e) => e.node.id));
      expect(shipmentFeedback!.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!shipmentFeedback!.pageInfo.hasNextPage) return ids;
      after = shipmentFeedback!.pageInfo.endCursor;
    }
    throw new Error("too many pages");
  }

  it("lists a distributor's feedback newest first, page by page", async () => {
    expect(await listAll(a.tokens.buyer)).toEqual(mine.map((f) => f.id));
    expect(await listAll(a.tokens.admin, null, 100)).toEqual(mine.map((f) => f.id));
    const firstPage = ok(await as(a.tokens.buyer, FeedbackListDocument, { first: 2 })).shipmentFeedback;
    expect(firstPage!.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: firstPage!.edges[0].cursor, endCursor: firstPage!.edges[1].cursor });
  });

  it("filters by answered and by condition", async () => {
    expect(await listAll(a.tokens.buyer, { unanswered: true })).toEqual(mine.filter((f) => !f.answered).map((f) => f.id));
    expect(await listAll(a.tokens.buyer, { unanswered: false })).toEqual(mine.filter((f) => f.answered).map((f) => f.id));
    expect(await listAll(a.tokens.buyer, { condition: ["DAMAGED"] })).toEqual(mine.filter((f) => f.condition === "DAMAGED").map((f) => f.id));
    expect(await listAll(a.tokens.buyer, { condition: ["PRISTINE", "MINOR_ISSUES"], unanswered: true })).toEqual(
      mine.filter((f) => f.condition !== "DAMAGED" && !f.answered).map((f) => f.id),
    );
    expect(await listAll(a.tokens.buyer, { condition: [] })).toEqual(mine.map((f) => f.id));
  });

  it("never shows another distributor's feedback: not in the list, not by id, not on the shipment", async () => {
    const bIds = await listAll(b.tokens.buyer, null, 100);
    expect(bIds).toEqual([foreign]);
    expect(await listAll(a.tokens.client, null, 100)).toEqual(mine.map((f) => f.id));
    for (const token of [b.tokens.buyer, b.tokens.admin, b.tokens.client]) {
      expect(ok(await as(token, FeedbackNodeDocument, { id: mine[0].id })).node).toBeNull();
    }
    expect(ok(await as(a.tokens.buyer, FeedbackNodeDocument, { id: foreign })).node).toBeNull();
    expect(ok(await as(a.tokens.buyer, FeedbackOfShipmentDocument, { id: shipmentId(foreignShipment) })).shipment).toBeNull();
    // A's shipments carry only A's reports.
    const page = ok(await as(a.tokens.buyer, FeedbackShipmentsPageDocument, { first: 100 })).shipments!.nodes;
    const shown = page.flatMap((s) => s.feedback.map((f) => f.id));
    expect(shown.sort()).toEqual(mine.map((f) => f.id).sort());
  });

  it("lets support read every distributor's feedback", async () => {
    // Newest first across every distributor: this block's reports are on the first page.
    const all = ok(await as(t.staff.support, FeedbackListDocument, { first: 100, filter: { condition: ["PRISTINE", "MINOR_ISSUES", "DAMAGED"] } })).shipmentFeedback!.edges.map((e) => e.node.id);
    expect(all).toEqual(expect.arrayContaining([...mine.map((f) => f.id), foreign]));
    expect(ok(await as(t.staff.support, FeedbackNodeDocument, { id: foreign })).node).toMatchObject({ id: foreign, rating: 4 });
    expect(ok(await as(t.staff.support, FeedbackOfShipmentDocument, { id: shipmentId(foreignShipment) })).shipment!.feedback.map((f) => f.id)).toEqual([foreign]);
  });

  it("lets ERP clients read with shipments:read only", async () => {
    const writer = await createApiClient(facet.dataSource, a.distributor, { scopes: [ApiScope.FEEDBACK_WRITE] });
    expect(errorCodes(await as(clientToken(facet.config, writer.client), FeedbackListDocument, {}))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await facet.gql(FeedbackListDocument, {}))).toEqual(["UNAUTHENTICATED"]);
  });

  it("loads the feedback of a page of shipments in a constant number of statements", async () => {
    const count = async (first: number) => {
      facet.statements.count = 0;
      const page = ok(await as(a.tokens.buyer, FeedbackShipmentsPageDocument, { first })).shipments!.nodes;
      expect(page).toHaveLength(first);
      return facet.statements.count;
    };
    const two = await count(2);
    const five = await count(5);
    expect(five).toBe(two);
    const listed = async (first: number) => {
      facet.statements.count = 0;
      ok(await as(a.tokens.buyer, FeedbackListDocument, { first }));
      return facet.statements.count;
    };
    expect(await listed(5)).toBe(await listed(2));
  });
});
