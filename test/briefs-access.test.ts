import { ApiScope } from "../src/core/access";
import { toGlobalId } from "../src/graphql/node";
import {
  BriefAcceptDocument,
  BriefByIdDocument,
  BriefCommentDocument,
  BriefCreateDocument,
  BriefCreateStepDocument,
  BriefDeclineDocument,
  BriefHistoryDocument,
  BriefListDocument,
  BriefLookupDocument,
  BriefNodeDocument,
  BriefNodesDocument,
  BriefOfOrderDocument,
  BriefPageWithRelationsDocument,
  BriefQuoteDocument,
  BriefRequestRevisionDocument,
  BriefStartReviewDocument,
  BriefSubmitDocument,
  BriefThreadDocument,
  BriefUpdateDocument,
  BriefWithdrawDocument,
} from "./generated/graphql";
import { briefCompany, briefIn, briefInput, briefSnapshot, insertBriefs, quoteInput, timeOf, type BriefCompany, type BriefHandle } from "./support/briefs-factories";
import { clientToken, createApiClient } from "./support/factories";
import { errorCodes, ok, startFacet, type GraphQLResult, type TestFacet } from "./support/harness";

// Who may read and write briefs, what a distributor never sees (another distributor's briefs,
// internal staff notes), and what a page of briefs costs in SQL.

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

type Refusal = { userErrors: { field: string[] | null; message: string; code: string }[] };
const fieldsAndCodes = (payload: Refusal) => payload.userErrors.map((e) => [e.field, e.code]);
const path = (...parts: (string | number)[]) => parts.map(String);

const thread = async (id: string, token: string, first?: number, after?: string | null) => {
  const brief = ok(await facet.gql(BriefThreadDocument, { id, first, after }, { token })).designBrief;
  return brief?.comments ?? null;
};
const bodies = (page: Awaited<ReturnType<typeof thread>>) => page!.edges.map((e) => e.node.body);
const comment = async (briefId: string, body: string, token: string, internal?: boolean) =>
  ok(await facet.gql(BriefCommentDocument, { input: { briefId, body, internal } }, { token })).addDesignBriefComment;

describe("the comment thread", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet);
  });

  it("is a connection, oldest first, written by buyers, integrations and staff", async () => {
    const brief = await briefIn(facet, company, "SUBMITTED");
    const posted = [];
    for (const [body, token] of [
      ["Can the wings be hollow?", company.tokens.buyer],
      ["Yes, that keeps the weight down.", company.tokens.manager],
      ["Then 18K is fine too.", company.tokens.admin],
      ["PO number to follow.", company.tokens.client],
      ["Noted.", company.tokens.manager],
    ] as const) {
      const payload = await comment(brief.id, body, token);
      expect(payload.userErrors).toEqual([]);
      posted.push(payload);
    }
    expect(posted.map((p) => p.comment)).toEqual([
      { author: company.users.buyer.name, fromExporter: false, body: "Can the wings be hollow?", internal: false, createdAt: expect.anything() },
      { author: company.users.manager.name, fromExporter: true, body: "Yes, that keeps the weight down.", internal: false, createdAt: expect.anything() },
      { author: company.users.admin.name, fromExporter: false, body: "Then 18K is fine too.", internal: false, createdAt: expect.anything() },
      { author: company.client.name, fromExporter: false, body: "PO number to follow.", internal: false, createdAt: expect.anything() },
      { author: company.users.manager.name, fromExporter: true, body: "Noted.", internal: false, createdAt: expect.anything() },
    ]);
    // A message is news for whoever syncs the brief, but does not change the brief itself.
    expect(posted.at(-1)!.designBrief).toMatchObject({ id: brief.id, version: brief.version, status: "SUBMITTED" });
    expect(timeOf(posted.at(-1)!.designBrief!.updatedAt)).toBeGreaterThanOrEqual(timeOf(brief.updatedAt));

    const all = await thread(brief.id, company.tokens.buyer);
    expect(bodies(all)).toEqual(posted.map((p) => p.comment!.body));
    const times = all!.edges.map((e) => timeOf(e.node.createdAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(all!.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });

    const first = await thread(brief.id, company.tokens.buyer, 2);
    expect(bodies(first)).toEqual(bodies(all).slice(0, 2));
    expect(first!.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, startCursor: first!.edges[0].cursor, endCursor: first!.edges[1].cursor });
    const second = await thread(brief.id, company.tokens.buyer, 2, first!.pageInfo.endCursor);
    expect(bodies(second)).toEqual(bodies(all).slice(2, 4));
    expect(second!.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const third = await thread(brief.id, company.tokens.buyer, 2, second!.pageInfo.endCursor);
    expect(bodies(third)).toEqual(bodies(all).slice(4));
    expect(third!.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    expect(errorCodes(await facet.gql(BriefThreadDocument, { id: brief.id, after: "bm90LWEtY3Vyc29y" }, { token: company.tokens.buyer }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await facet.gql(BriefThreadDocument, { id: brief.id, first: 101 }, { token: company.tokens.buyer }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("refuses a blank or overlong message, and an unknown brief, writing nothing", async () => {
    const brief = await briefIn(facet, company, "DRAFT");
    const before = await briefSnapshot(facet.dataSource, brief.id);
    expect(fieldsAndCodes(await comment(brief.id, "  ", company.tokens.buyer))).toEqual([[path("input", "body"), "REQUIRED"]]);
    expect(fieldsAndCodes(await comment(brief.id, "x".repeat(5001), company.tokens.buyer))).toEqual([[path("input", "body"), "TOO_LONG"]]);
    expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);
    const unknown = await comment(toGlobalId("DesignBrief", "00000000-0000-4000-8000-000000000000"), "Hello", company.tokens.buyer);
    expect(fieldsAndCodes(unknown)).toEqual([[path("input", "briefId"), "NOT_FOUND"]]);
  });
});

describe("internal staff notes", () => {
  let company: BriefCompany;
  let brief: BriefHandle;
  const SECRET = "margin-codeword";
  beforeAll(async () => {
    company = await briefCompany(facet);
    brief = await briefIn(facet, company, "IN_REVIEW");
    // Internal notes before, between and after the public messages.
    await comment(brief.id, `Check the casting house first (${SECRET})`, company.tokens.manager, true);
    await comment(brief.id, "Public one", company.tokens.buyer);
    await comment(brief.id, `Margin is thin (${SECRET})`, company.tokens.manager, true);
    await comment(brief.id, "Public two", company.tokens.manager);
    await comment(brief.id, "Public three", company.tokens.buyer);
    await comment(brief.id, `Quote at cost if needed (${SECRET})`, company.tokens.manager, true);
  });

  it("are part of the staff's thread", async () => {
    for (const token of [company.tokens.manager, company.tokens.support]) {
      const page = await thread(brief.id, token);
      expect(page!.edges.map((e) => [e.node.body.includes(SECRET) ? "note" : e.node.body, e.node.internal])).toEqual([
        ["note", true],
        ["Public one", false],
        ["note", true],
        ["Public two", false],
        ["Public three", false],
        ["note", true],
      ]);
    }
  });

  it("never reach a distributor: not in the thread, its pages or its counts", async () => {
    for (const token of [company.tokens.buyer, company.tokens.admin, company.tokens.client]) {
      const all = await thread(brief.id, token);
      expect(bodies(all)).toEqual(["Public one", "Public two", "Public three"]);
      expect(all!.edges.every((e) => !e.node.internal)).toBe(true);

      // A page holds as many messages as asked for, and knows no more follow after the last
      // public one, however many notes there are.
      const first = await thread(brief.id, token, 2);
      expect(bodies(first)).toEqual(["Public one", "Public two"]);
      expect(first!.pageInfo.hasNextPage).toBe(true);
      const rest = await thread(brief.id, token, 1, first!.pageInfo.endCursor);
      expect(bodies(rest)).toEqual(["Public three"]);
      expect(rest!.pageInfo.hasNextPage).toBe(false);
      const exact = await thread(brief.id, token, 3);
      expect(exact!.pageInfo.hasNextPage).toBe(false);
    }
  });

  it("never reach a distributor through node(id:), a list page or search", async () => {
    const viaNode = ok(await facet.gql(BriefNodeDocument, { id: brief.id }, { token: company.tokens.buyer })).node;
    expect(viaNode).toMatchObject({ __typename: "DesignBrief", id: brief.id });
    expect(viaNode && "comments" in viaNode ? viaNode.comments.nodes.map((c) => c.body) : null).toEqual(["Public one", "Public two", "Public three"]);

    const page = ok(await facet.gql(BriefPageWithRelationsDocument, { filter: { search: brief.reference } }, { token: company.tokens.buyer })).designBriefs!.nodes;
    expect(page.map((b) => b.comments.nodes.map((c) => c.body))).toEqual([["Public one", "Public two", "Public three"]]);

    for (const token of [company.tokens.buyer, company.tokens.client]) {
      const found = ok(await facet.gql(BriefListDocument, { filter: { search: SECRET } }, { token })).designBriefs!.edges;
      expect(found).toEqual([]);
    }
  });

  it("do not move the brief on for a distributor syncing it", async () => {
    const before = ok(await facet.gql(BriefByIdDocument, { id: brief.id }, { token: company.tokens.buyer })).designBrief!;
    const posted = await comment(brief.id, `One more note (${SECRET})`, company.tokens.manager, true);
    expect(posted.userErrors).toEqual([]);
    expect(posted.comment).toMatchObject({ internal: true, fromExporter: true, author: company.users.manager.name });
    const after = ok(await facet.gql(BriefByIdDocument, { id: brief.id }, { token: company.tokens.buyer })).designBrief!;
    expect(timeOf(after.updatedAt)).toBe(timeOf(before.updatedAt));
    const synced = ok(await facet.gql(BriefListDocument, { filter: { updatedSince: new Date(timeOf(before.updatedAt) + 1).toISOString() } }, { token: company.tokens.buyer }));
    expect(synced.designBriefs!.edges).toEqual([]);
  });

  it("are written by export managers only", async () => {
    const before = await briefSnapshot(facet.dataSource, brief.id);
    for (const token of [company.tokens.buyer, company.tokens.admin, company.tokens.client]) {
      const refused = await comment(brief.id, "Let me see the margin", token, true);
      expect(refused.comment).toBeNull();
      expect(fieldsAndCodes(refused)).toEqual([[path("input", "internal"), "NOT_ALLOWED"]]);
    }
    expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);
  });
});

describe("roles and scopes", () => {
  let company: BriefCompany;
  let tokens: Record<"readOnly" | "writeOnly" | "noBriefs", string>;
  beforeAll(async () => {
    company = await briefCompany(facet);
    const make = async (scopes: ApiScope[]) => clientToken(facet.config, (await createApiClient(facet.dataSource, company.distributor, { scopes })).client, scopes);
    tokens = {
      readOnly: await make([ApiScope.BRIEFS_READ]),
      writeOnly: await make([ApiScope.BRIEFS_WRITE]),
      noBriefs: await make([ApiScope.ORDERS_READ, ApiScope.ORDERS_WRITE, ApiScope.CATALOG_READ]),
    };
  });

  it("lets a distributor admin write the briefs of its company's buyers", async () => {
    const brief = await briefIn(facet, company, "DRAFT");
    const edited = ok(await facet.gql(BriefUpdateDocument, { input: { id: brief.id, expectedVersion: 1, title: "Admin's title" } }, { token: company.tokens.admin })).updateDesignBrief;
    expect(edited.designBrief).toMatchObject({ title: "Admin's title", version: 2 });
    const own = ok(await facet.gql(BriefCreateDocument, { input: briefInput("EUR") }, { token: company.tokens.admin })).createDesignBrief;
    expect(own.designBrief).toMatchObject({ status: "DRAFT", statusHistory: [{ by: company.users.admin.name }] });
    expect(await briefSnapshot(facet.dataSource, own.designBrief!.id)).toMatchObject({ created_by_user_id: company.users.admin.id });
  });

  it("lets an ERP client with briefs:write create and submit, and one with briefs:read read", async () => {
    const created = ok(await facet.gql(BriefCreateStepDocument, { input: briefInput("EUR") }, { token: tokens.writeOnly })).createDesignBrief;
    expect(created.userErrors).toEqual([]);
    const id = created.designBrief!.id;
    expect(await briefSnapshot(facet.dataSource, id)).toMatchObject({ created_by_user_id: null, created_by_api_client_id: expect.any(String) });
    const submitted = ok(await facet.gql(BriefSubmitDocument, { input: { id, expectedVersion: 1 } }, { token: tokens.writeOnly })).submitDesignBrief;
    expect(submitted.designBrief).toMatchObject({ status: "SUBMITTED", version: 2 });
    expect(errorCodes(await facet.gql(BriefHistoryDocument, { id }, { token: tokens.writeOnly }))).toEqual(["FORBIDDEN"]);

    const read = ok(await facet.gql(BriefHistoryDocument, { id }, { token: tokens.readOnly })).designBrief;
    expect(read).toMatchObject({ id, status: "SUBMITTED", statusHistory: [{ by: "Test ERP" }, { by: "Test ERP" }] });
    expect(ok(await facet.gql(BriefListDocument, {}, { token: tokens.readOnly })).designBriefs!.edges.map((e) => e.node.id)).toContain(id);
  });

  it("lets an ERP client accept a quote, which places an order, only with orders:write as well", async () => {
    const quoted = await briefIn(facet, company, "QUOTED");
    const writeOnly = await facet.gql(BriefAcceptDocument, { input: { id: quoted.id, expectedVersion: quoted.version } }, { token: tokens.writeOnly });
    expect(errorCodes(writeOnly)).toEqual(["FORBIDDEN"]);
    expect(await briefSnapshot(facet.dataSource, quoted.id)).toMatchObject({ status: "QUOTED", order_id: null, version: quoted.version });

    const both = clientToken(facet.config, (await createApiClient(facet.dataSource, company.distributor, { scopes: [ApiScope.BRIEFS_WRITE, ApiScope.ORDERS_WRITE] })).client);
    const accepted = await facet.gql(BriefAcceptDocument, { input: { id: quoted.id, expectedVersion: quoted.version } }, { token: both });
    expect(accepted.data?.acceptDesignBriefQuote.userErrors).toEqual([]);
    // Placing the order is allowed; reading it back still needs orders:read.
    expect(accepted.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["acceptDesignBriefQuote", "designBrief", "order"], "FORBIDDEN"]]);
    expect(await briefSnapshot(facet.dataSource, quoted.id)).toMatchObject({ status: "ACCEPTED", order_id: expect.any(String) });
  });

  it("keeps briefs from a client without briefs:read however it asks, and orders from one without orders:read", async () => {
    const accepted = await briefIn(facet, company, "ACCEPTED");
    const orderId = toGlobalId("Order", (await briefSnapshot(facet.dataSource, accepted.id)).order_id as string);
    const viaNode = await facet.gql(BriefNodeDocument, { id: accepted.id }, { token: tokens.noBriefs });
    expect(viaNode.errors).toBeUndefined();
    expect(viaNode.data?.node).toBeNull();
    expect(ok(await facet.gql(BriefNodesDocument, { ids: [accepted.id] }, { token: tokens.noBriefs })).nodes).toEqual([null]);
    // The order is theirs to read, the brief behind it is not.
    const viaOrder = await facet.gql(BriefOfOrderDocument, { id: orderId }, { token: tokens.noBriefs });
    expect(errorCodes(viaOrder)).toEqual(["FORBIDDEN"]);
    expect(viaOrder.data?.node).toEqual({ number: expect.any(String), designBrief: null });

    // A briefs:read client reads the brief, but not the order it became.
    const brief = await facet.gql(BriefByIdDocument, { id: accepted.id }, { token: tokens.readOnly });
    expect(errorCodes(brief)).toEqual(["FORBIDDEN"]);
    expect(brief.errors![0].path).toEqual(["designBrief", "order"]);
    expect(brief.data?.designBrief).toMatchObject({ id: accepted.id, status: "ACCEPTED", order: null });
    expect(ok(await facet.gql(BriefNodeDocument, { id: accepted.id }, { token: tokens.readOnly })).node).toMatchObject({ id: accepted.id });
    // With both scopes, both.
    expect(ok(await facet.gql(BriefByIdDocument, { id: accepted.id }, { token: company.tokens.client })).designBrief!.order).toMatchObject({ id: orderId });
    expect(ok(await facet.gql(BriefOfOrderDocument, { id: orderId }, { token: company.tokens.client })).node).toMatchObject({ designBrief: { id: accepted.id } });
  });

  it("lets support staff read every distributor's briefs and internal notes", async () => {
    const brief = await briefIn(facet, company, "SUBMITTED");
    await comment(brief.id, "internal remark", company.tokens.manager, true);
    const read = ok(await facet.gql(BriefByIdDocument, { id: brief.id }, { token: company.tokens.support })).designBrief;
    expect(read).toMatchObject({ id: brief.id, status: "SUBMITTED" });
    expect((await thread(brief.id, company.tokens.support))!.edges.map((e) => e.node.internal)).toEqual([true]);
  });

  // Each refused call must be FORBIDDEN at the top level and leave the brief as it was.
  type Who = "buyer" | "admin" | "manager" | "support" | "readOnly" | "writeOnly" | "noBriefs";
  const token = (who: Who) => (who in company.tokens ? company.tokens[who as keyof typeof company.tokens] : tokens[who as keyof typeof tokens]);
  const calls: Record<string, (brief: BriefHandle, t: string) => Promise<GraphQLResult<unknown>>> = {
    designBriefs: (_b, t) => facet.gql(BriefListDocument, {}, { token: t }),
    designBrief: (b, t) => facet.gql(BriefLookupDocument, { id: b.id }, { token: t }),
    createDesignBrief: (_b, t) => facet.gql(BriefCreateDocument, { input: briefInput("EUR") }, { token: t }),
    updateDesignBrief: (b, t) => facet.gql(BriefUpdateDocument, { input: { id: b.id, expectedVersion: b.version, title: "x" } }, { token: t }),
    submitDesignBrief: (b, t) => facet.gql(BriefSubmitDocument, { input: { id: b.id, expectedVersion: b.version } }, { token: t }),
    withdrawDesignBrief: (b, t) => facet.gql(BriefWithdrawDocument, { input: { id: b.id, expectedVersion: b.version } }, { token: t }),
    startDesignBriefReview: (b, t) => facet.gql(BriefStartReviewDocument, { input: { id: b.id, expectedVersion: b.version } }, { token: t }),
    quoteDesignBrief: (b, t) => facet.gql(BriefQuoteDocument, { input: quoteInput(b.id, b.version, "EUR") }, { token: t }),
    acceptDesignBriefQuote: (b, t) => facet.gql(BriefAcceptDocument, { input: { id: b.id, expectedVersion: b.version } }, { token: t }),
    declineDesignBriefQuote: (b, t) => facet.gql(BriefDeclineDocument, { input: { id: b.id, expectedVersion: b.version } }, { token: t }),
    requestDesignBriefRevision: (b, t) => facet.gql(BriefRequestRevisionDocument, { input: { id: b.id, expectedVersion: b.version, comment: "again" } }, { token: t }),
    addDesignBriefComment: (b, t) => facet.gql(BriefCommentDocument, { input: { briefId: b.id, body: "hello" } }, { token: t }),
  };
  const BUYER_SIDE = ["createDesignBrief", "updateDesignBrief", "submitDesignBrief", "withdrawDesignBrief", "acceptDesignBriefQuote", "declineDesignBriefQuote", "requestDesignBriefRevision"];
  const STAFF_SIDE = ["startDesignBriefReview", "quoteDesignBrief"];
  const denied: [Who, string][] = [
    ...STAFF_SIDE.flatMap((op) => (["buyer", "admin", "writeOnly"] as Who[]).map((who) => [who, op] as [Who, string])),
    ...BUYER_SIDE.map((op) => ["manager", op] as [Who, string]),
    ...[...BUYER_SIDE, ...STAFF_SIDE, "addDesignBriefComment"].flatMap((op) => (["support", "readOnly", "noBriefs"] as Who[]).map((who) => [who, op] as [Who, string])),
    ["writeOnly", "designBriefs"],
    ["writeOnly", "designBrief"],
    ["noBriefs", "designBriefs"],
    ["noBriefs", "designBrief"],
  ];

  it.each(denied)("refuses %s %s", async (who, op) => {
    const brief = await briefIn(facet, company, op === "submitDesignBrief" || op === "updateDesignBrief" ? "DRAFT" : op === "startDesignBriefReview" ? "SUBMITTED" : "QUOTED");
    const before = await briefSnapshot(facet.dataSource, brief.id);
    const count = async () => ((await facet.dataSource.query(`SELECT count(*)::int AS n FROM design_briefs WHERE distributor_id = $1`, [company.distributor.id])) as { n: number }[])[0].n;
    const briefs = await count();
    const result = await calls[op](brief, token(who));
    expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
    expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);
    expect(await count()).toBe(briefs);
  });

  it("asks an anonymous caller to sign in", async () => {
    const brief = await briefIn(facet, company, "DRAFT");
    expect(errorCodes(await facet.gql(BriefListDocument, {}))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await facet.gql(BriefSubmitDocument, { input: { id: brief.id, expectedVersion: 1 } }))).toEqual(["UNAUTHENTICATED"]);
    expect(await briefSnapshot(facet.dataSource, brief.id)).toMatchObject({ status: "DRAFT", version: 1 });
  });
});

describe("tenancy", () => {
  let owner: BriefCompany;
  let stranger: BriefCompany;
  let draft: BriefHandle;
  let quoted: BriefHandle;
  let accepted: BriefHandle;
  let declined: BriefHandle;
  let theirs: BriefHandle;
  const UNKNOWN = toGlobalId("DesignBrief", "00000000-0000-4000-8000-000000000000");
  beforeAll(async () => {
    owner = await briefCompany(facet);
    stranger = await briefCompany(facet);
    draft = await briefIn(facet, owner, "DRAFT", { title: `Owner's secret ${owner.distributor.code}` });
    quoted = await briefIn(facet, owner, "QUOTED");
    accepted = await briefIn(facet, owner, "ACCEPTED");
    declined = await briefIn(facet, owner, "DECLINED");
    theirs = await briefIn(facet, stranger, "QUOTED");
  });

  const strangers = () => [stranger.tokens.buyer, stranger.tokens.admin, stranger.tokens.client];

  it("reads another distributor's brief as missing by id, reference, node, filter and search", async () => {
    for (const token of strangers()) {
      for (const brief of [draft, quoted]) {
        expect(ok(await facet.gql(BriefLookupDocument, { id: brief.id }, { token })).designBrief).toBeNull();
        expect(ok(await facet.gql(BriefLookupDocument, { reference: brief.reference }, { token })).designBrief).toBeNull();
        expect(ok(await facet.gql(BriefNodeDocument, { id: brief.id }, { token })).node).toBeNull();
        expect(ok(await facet.gql(BriefNodesDocument, { ids: [brief.id, UNKNOWN] }, { token })).nodes).toEqual([null, null]);
        expect(await thread(brief.id, token)).toBeNull();
        expect(ok(await facet.gql(BriefListDocument, { filter: { search: brief.reference } }, { token })).designBriefs!.edges).toEqual([]);
      }
      expect(ok(await facet.gql(BriefListDocument, { filter: { search: "Owner's secret" } }, { token })).designBriefs!.edges).toEqual([]);
      const byStatus = ok(await facet.gql(BriefListDocument, { filter: { status: ["QUOTED", "DRAFT", "ACCEPTED", "DECLINED"] } }, { token })).designBriefs!.edges;
      expect(byStatus.map((e) => e.node.id)).toEqual([theirs.id]);
      // Nor through the order an accepted brief became.
      const order = (await briefSnapshot(facet.dataSource, accepted.id)).order_id as string;
      expect(ok(await facet.gql(BriefOfOrderDocument, { id: toGlobalId("Order", order) }, { token })).node).toBeNull();
    }
  });

  it("answers a change to another distributor's brief exactly as one to an unknown brief, and writes nothing", async () => {
    const attempts: [string, (id: string, version: number, token: string) => Promise<Refusal>][] = [
      ["update", async (id, v, token) => ok(await facet.gql(BriefUpdateDocument, { input: { id, expectedVersion: v, title: "Hijacked" } }, { token })).updateDesignBrief],
      ["submit", async (id, v, token) => ok(await facet.gql(BriefSubmitDocument, { input: { id, expectedVersion: v } }, { token })).submitDesignBrief],
      ["withdraw", async (id, v, token) => ok(await facet.gql(BriefWithdrawDocument, { input: { id, expectedVersion: v } }, { token })).withdrawDesignBrief],
      ["accept", async (id, v, token) => ok(await facet.gql(BriefAcceptDocument, { input: { id, expectedVersion: v } }, { token })).acceptDesignBriefQuote],
      ["decline", async (id, v, token) => ok(await facet.gql(BriefDeclineDocument, { input: { id, expectedVersion: v } }, { token })).declineDesignBriefQuote],
      ["revise", async (id, v, token) => ok(await facet.gql(BriefRequestRevisionDocument, { input: { id, expectedVersion: v, comment: "again" } }, { token })).requestDesignBriefRevision],
      ["comment", async (id, _v, token) => ok(await facet.gql(BriefCommentDocument, { input: { briefId: id, body: "hello" } }, { token })).addDesignBriefComment],
    ];
    const targets = { update: draft, submit: draft, withdraw: quoted, accept: quoted, decline: quoted, revise: declined, comment: quoted } as Record<string, BriefHandle>;
    for (const [name, attempt] of attempts) {
      const brief = targets[name];
      const before = await briefSnapshot(facet.dataSource, brief.id);
      for (const token of strangers()) {
        const foreign = await attempt(brief.id, brief.version, token);
        const unknown = await attempt(UNKNOWN, brief.version, token);
        expect({ name, userErrors: foreign.userErrors }).toEqual({ name, userErrors: unknown.userErrors });
        expect(foreign.userErrors.map((e) => e.code)).toEqual(["NOT_FOUND"]);
      }
      expect(await briefSnapshot(facet.dataSource, brief.id)).toEqual(before);
    }
  });
});

describe("loading a page of briefs", () => {
  it("costs the same statements for 20 briefs with quotes, threads and histories as for 2", async () => {
    const company = await briefCompany(facet);
    const prefix = `Loader ${company.distributor.code}`;
    await insertBriefs(facet.dataSource, company.distributor, company.users.buyer, 20, { comments: 3, titlePrefix: prefix });
    const accepted = await briefIn(facet, company, "ACCEPTED", { title: `${prefix} accepted` });

    for (const token of [company.tokens.buyer, company.tokens.manager]) {
      const cost = async (first: number) => {
        const before = facet.statements.count;
        const result = ok(await facet.gql(BriefPageWithRelationsDocument, { first, filter: { search: prefix } }, { token }));
        return { statements: facet.statements.count - before, nodes: result.designBriefs!.nodes };
      };
      const small = await cost(2);
      const large = await cost(21);
      expect(small.nodes).toHaveLength(2);
      expect(large.nodes).toHaveLength(21);
      expect(large.statements).toBe(small.statements);

      const staff = token === company.tokens.manager;
      const bulk = large.nodes.filter((b) => b.id !== accepted.id);
      for (const b of bulk) {
        expect(b.quote).toMatchObject({ unitPrice: { amount: "120.00" } });
        expect(b.statusHistory.map((h) => h.to)).toEqual(["DRAFT", "SUBMITTED", "IN_REVIEW", "QUOTED"]);
        expect(b.comments.nodes.map((c) => c.body)).toEqual(staff ? ["message 0", "message 1", "message 2", "internal note"] : ["message 0", "message 1", "message 2"]);
        expect(b.comments.pageInfo.hasNextPage).toBe(false);
      }
      expect(large.nodes.find((b) => b.id === accepted.id)?.order?.number).toMatch(/^EXP-/);
    }
  });
});
