import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Kind, parse, print, type FieldNode, type OperationDefinitionNode } from "graphql";
import { toGlobalId } from "../src/graphql/node";
import { User } from "../src/modules/accounts";
import {
  BriefByIdDocument,
  BriefCreateDocument,
  BriefCreateStepDocument,
  BriefListDocument,
  BriefLookupDocument,
  BriefOverviewDocument,
  BriefSubmitDocument,
  BriefUpdateDocument,
  type BriefListQuery,
  type BriefListQueryVariables,
  type CreateDesignBriefInput,
  type StoneInput,
  type UpdateDesignBriefInput,
} from "./generated/graphql";
import { briefCompany, briefIn, briefInput, briefSnapshot, dateFromToday, timeOf, type BriefCompany } from "./support/briefs-factories";
import { userToken } from "./support/factories";
import { errorCodes, ok, startFacet, type TestFacet } from "./support/harness";

// Drafting a brief (create, edit, submit), its validation, and reading briefs back.

let facet: TestFacet;
beforeAll(async () => {
  facet = await startFacet();
});
afterAll(() => facet.stop());

const REFERENCE = new RegExp(`^DB-${new Date().getUTCFullYear()}-\\d{4,}$`);
type Refusal = { userErrors: { field: string[] | null; code: string }[] };
const fieldsAndCodes = (payload: Refusal) => payload.userErrors.map((e) => [e.field, e.code]);
const path = (...parts: (string | number)[]) => parts.map(String);

const briefCount = async (company: BriefCompany) =>
  ((await facet.dataSource.query(`SELECT count(*)::int AS n FROM design_briefs WHERE distributor_id = $1`, [company.distributor.id])) as { n: number }[])[0].n;

describe("createDesignBrief", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet);
  });

  it("saves a draft with every field and records who created it", async () => {
    const input = briefInput("EUR", {
      plating: "YELLOW_GOLD",
      referenceImages: [
        { url: "https://files.example/falcon.jpg", contentType: "image/jpeg" },
        { url: "https://files.example/falcon-side.png", contentType: "IMAGE/PNG" },
        { url: "https://files.example/spec.pdf", contentType: "application/pdf" },
      ],
    });
    const before = Date.now();
    const { createDesignBrief } = ok(await facet.gql(BriefCreateDocument, { input }, { token: company.tokens.buyer }));
    const after = Date.now();
    expect(createDesignBrief.userErrors).toEqual([]);
    const brief = createDesignBrief.designBrief!;
    expect(brief.reference).toMatch(REFERENCE);
    expect(brief).toMatchObject({
      title: input.title,
      description: input.description,
      category: "PENDANT",
      metal: "GOLD",
      fineness: 916,
      karat: 22,
      plating: "YELLOW_GOLD",
      stones: [{ type: "RUBY", shape: "ROUND", count: 2, totalCarat: "0.100", origin: "NATURAL", treatments: [{ treatment: "HEAT" }], displayName: "ruby" }],
      targetUnitPrice: { amount: "650.00", currency: "EUR" },
      currency: "EUR",
      quantity: 120,
      targetDate: input.targetDate,
      referenceImages: [
        { url: "https://files.example/falcon.jpg", contentType: "image/jpeg" },
        { url: "https://files.example/falcon-side.png", contentType: "image/png" },
        { url: "https://files.example/spec.pdf", contentType: "application/pdf" },
      ],
      status: "DRAFT",
      version: 1,
      distributor: { id: toGlobalId("Distributor", company.distributor.id) },
      quote: null,
      order: null,
    });
    expect(brief.statusHistory).toEqual([{ from: null, to: "DRAFT", by: company.users.buyer.name, at: expect.anything(), note: null }]);
    const at = timeOf(brief.statusHistory[0].at);
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(after + 1000);

    const row = await briefSnapshot(facet.dataSource, brief.id);
    expect(row).toMatchObject({
      reference: brief.reference,
      distributor_id: company.distributor.id,
      created_by_user_id: company.users.buyer.id,
      created_by_api_client_id: null,
      target_unit_price: "650.0000",
      currency: "EUR",
      status: "DRAFT",
      version: 1,
      history_count: 1,
      comment_count: 0,
      quote_count: 0,
    });

    // The same brief reads back by id and by reference.
    const byId = ok(await facet.gql(BriefByIdDocument, { id: brief.id }, { token: company.tokens.buyer })).designBrief;
    expect(byId).toEqual(brief);
    const byReference = ok(await facet.gql(BriefLookupDocument, { reference: ` ${brief.reference.toLowerCase()} ` }, { token: company.tokens.buyer }));
    expect(byReference.designBrief).toEqual({ id: brief.id, reference: brief.reference });
  });

  it("fills in the defaults of a minimal draft", async () => {
    const { createDesignBrief } = ok(
      await facet.gql(BriefCreateDocument, { input: { title: "  Museum brooch  ", category: "BROOCH", metal: "BRASS", quantity: 1 } }, { token: company.tokens.buyer }),
    );
    expect(createDesignBrief.userErrors).toEqual([]);
    expect(createDesignBrief.designBrief).toMatchObject({
      title: "Museum brooch",
      description: "",
      metal: "BRASS",
      fineness: null,
      karat: null,
      plating: "NONE",
      stones: [],
      targetUnitPrice: null,
      currency: "EUR",
      quantity: 1,
      targetDate: null,
      referenceImages: [],
      status: "DRAFT",
      version: 1,
    });
  });

  it("takes amounts with the contract currency's own decimal places", async () => {
    const yen = await briefCompany(facet, { currency: "JPY", country: "JP" });
    const dinar = await briefCompany(facet, { currency: "KWD", country: "KW" });
    const ok1 = ok(await facet.gql(BriefCreateDocument, { input: briefInput("JPY", { targetUnitPrice: { amount: "98000", currency: "JPY" } }) }, { token: yen.tokens.buyer }));
    expect(ok1.createDesignBrief.designBrief?.targetUnitPrice).toEqual({ amount: "98000", currency: "JPY" });
    const ok2 = ok(await facet.gql(BriefCreateDocument, { input: briefInput("KWD", { targetUnitPrice: { amount: "199.125", currency: "KWD" } }) }, { token: dinar.tokens.buyer }));
    expect(ok2.createDesignBrief.designBrief?.targetUnitPrice).toEqual({ amount: "199.125", currency: "KWD" });

    const refused = ok(await facet.gql(BriefCreateDocument, { input: briefInput("JPY", { targetUnitPrice: { amount: "98000.5", currency: "JPY" } }) }, { token: yen.tokens.buyer }));
    expect(fieldsAndCodes(refused.createDesignBrief)).toEqual([[path("input", "targetUnitPrice", "amount"), "INVALID"]]);
    expect(await briefCount(yen)).toBe(1);
  });

  it("accepts a target date of today and exactly twenty reference images", async () => {
    const images = Array.from({ length: 20 }, (_, i) => ({ url: `https://files.example/ref-${i}.webp`, contentType: "image/webp" }));
    const { createDesignBrief } = ok(
      await facet.gql(BriefCreateDocument, { input: briefInput("EUR", { targetDate: dateFromToday(0), referenceImages: images }) }, { token: company.tokens.buyer }),
    );
    expect(createDesignBrief.userErrors).toEqual([]);
    expect(createDesignBrief.designBrief?.referenceImages).toHaveLength(20);
  });
});

describe("createDesignBrief refuses a bad field by name and writes nothing", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet);
  });

  const image = (url: string, contentType = "image/jpeg") => [{ url, contentType }];
  const stone = (overrides: Partial<StoneInput> = {}): StoneInput => ({ type: "RUBY", shape: "ROUND", count: 2, totalCarat: "0.100", origin: "NATURAL", treatments: [], ...overrides });
  const cases: [string, Partial<CreateDesignBriefInput>, string[], string][] = [
    ["a blank title", { title: "   " }, path("input", "title"), "REQUIRED"],
    ["a title over 200 characters", { title: "x".repeat(201) }, path("input", "title"), "TOO_LONG"],
    ["a title with a control character", { title: "Falcon\u0007" }, path("input", "title"), "INVALID"],
    ["a description over 10000 characters", { description: "x".repeat(10_001) }, path("input", "description"), "TOO_LONG"],
    ["gold without fineness", { fineness: null }, path("input", "fineness"), "REQUIRED"],
    ["a fineness gold does not come in", { fineness: 925 }, path("input", "fineness"), "INVALID"],
    ["a fineness silver does not come in", { metal: "SILVER", fineness: 916 }, path("input", "fineness"), "INVALID"],
    ["a fineness for a base metal", { metal: "STAINLESS_STEEL", fineness: 750 }, path("input", "fineness"), "INVALID"],
    ["a target price in another currency", { targetUnitPrice: { amount: "650.00", currency: "USD" } }, path("input", "targetUnitPrice", "currency"), "INVALID"],
    ["a target price with too many decimals", { targetUnitPrice: { amount: "650.005", currency: "EUR" } }, path("input", "targetUnitPrice", "amount"), "INVALID"],
    ["a target price of zero", { targetUnitPrice: { amount: "0.00", currency: "EUR" } }, path("input", "targetUnitPrice", "amount"), "OUT_OF_RANGE"],
    ["a negative target price", { targetUnitPrice: { amount: "-5.00", currency: "EUR" } }, path("input", "targetUnitPrice", "amount"), "OUT_OF_RANGE"],
    ["a quantity of zero", { quantity: 0 }, path("input", "quantity"), "OUT_OF_RANGE"],
    ["a negative quantity", { quantity: -3 }, path("input", "quantity"), "OUT_OF_RANGE"],
    ["a quantity over 100000", { quantity: 100_001 }, path("input", "quantity"), "OUT_OF_RANGE"],
    ["a target date in the past", { targetDate: dateFromToday(-1) }, path("input", "targetDate"), "OUT_OF_RANGE"],
    ["an http image link", { referenceImages: image("http://files.example/a.jpg") }, path("input", "referenceImages", 0, "url"), "INVALID"],
    ["an image link that is no URL", { referenceImages: image("files.example/a.jpg") }, path("input", "referenceImages", 0, "url"), "INVALID"],
    ["an image link with credentials", { referenceImages: image("https://me:pw@files.example/a.jpg") }, path("input", "referenceImages", 0, "url"), "INVALID"],
    ["an image link over 2000 characters", { referenceImages: image(`https://files.example/${"a".repeat(2000)}.jpg`) }, path("input", "referenceImages", 0, "url"), "TOO_LONG"],
    ["an image of an unknown content type", { referenceImages: image("https://files.example/a.html", "text/html") }, path("input", "referenceImages", 0, "contentType"), "INVALID"],
    ["an image without a content type", { referenceImages: image("https://files.example/a.jpg", "") }, path("input", "referenceImages", 0, "contentType"), "INVALID"],
    [
      "more than twenty images",
      { referenceImages: Array.from({ length: 21 }, (_, i) => ({ url: `https://files.example/${i}.jpg`, contentType: "image/jpeg" })) },
      path("input", "referenceImages"),
      "TOO_LONG",
    ],
    ["a stone line of no stones", { stones: [stone({ count: 0 })] }, path("input", "stones", 0, "count"), "OUT_OF_RANGE"],
    ["a stone weight of zero", { stones: [stone({ totalCarat: "0" })] }, path("input", "stones", 0, "totalCarat"), "OUT_OF_RANGE"],
    ["a stone weight finer than a thousandth of a carat", { stones: [stone({ totalCarat: "0.1005" })] }, path("input", "stones", 0, "totalCarat"), "INVALID"],
    ["an untreated stone with a treatment", { stones: [stone({ treatments: ["NONE", "HEAT"] })] }, path("input", "stones", 0, "treatments"), "INVALID"],
    ["more than twenty stone lines", { stones: Array.from({ length: 21 }, () => stone()) }, path("input", "stones"), "TOO_LONG"],
  ];

  it.each(cases)("%s", async (_name, overrides, field, code) => {
    const input = briefInput("EUR", overrides);
    const { createDesignBrief } = ok(await facet.gql(BriefCreateDocument, { input }, { token: company.tokens.buyer }));
    expect(createDesignBrief.designBrief).toBeNull();
    expect(fieldsAndCodes(createDesignBrief)).toEqual([[field, code]]);
    expect(createDesignBrief.userErrors[0].message).not.toBe("");
    expect(await briefCount(company)).toBe(0);
  });

  it("reports every bad field of one input at once", async () => {
    const input = briefInput("EUR", { title: "", fineness: 500, quantity: 0, targetDate: dateFromToday(-30) });
    const { createDesignBrief } = ok(await facet.gql(BriefCreateDocument, { input }, { token: company.tokens.buyer }));
    expect(fieldsAndCodes(createDesignBrief)).toEqual([
      [path("input", "title"), "REQUIRED"],
      [path("input", "fineness"), "INVALID"],
      [path("input", "quantity"), "OUT_OF_RANGE"],
      [path("input", "targetDate"), "OUT_OF_RANGE"],
    ]);
    expect(await briefCount(company)).toBe(0);
  });
});

describe("updateDesignBrief and submitDesignBrief", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet);
  });

  it("edits a draft, then submits it; each change takes the version read and moves it on", async () => {
    const draft = await briefIn(facet, company, "DRAFT");
    const changes: UpdateDesignBriefInput = {
      id: draft.id,
      expectedVersion: 1,
      title: "Falcon pendant, second sketch",
      description: "Solid wings after all.",
      category: "CHARM",
      metal: "SILVER",
      fineness: 925,
      plating: "RHODIUM",
      stones: [{ type: "SAPPHIRE", shape: "OVAL", count: 1, totalCarat: "0.250", origin: "LAB_GROWN", treatments: [] }],
      targetUnitPrice: { amount: "95.50", currency: "EUR" },
      quantity: 400,
      targetDate: dateFromToday(120),
      referenceImages: [{ url: "https://files.example/falcon-2.gif", contentType: "image/gif" }],
    };
    const { updateDesignBrief } = ok(await facet.gql(BriefUpdateDocument, { input: changes }, { token: company.tokens.buyer }));
    expect(updateDesignBrief.userErrors).toEqual([]);
    const edited = updateDesignBrief.designBrief!;
    expect(edited).toMatchObject({
      id: draft.id,
      reference: draft.reference,
      title: "Falcon pendant, second sketch",
      description: "Solid wings after all.",
      category: "CHARM",
      metal: "SILVER",
      fineness: 925,
      karat: null,
      plating: "RHODIUM",
      stones: [{ type: "SAPPHIRE", shape: "OVAL", count: 1, totalCarat: "0.250", origin: "LAB_GROWN", treatments: [], displayName: "lab-grown sapphire" }],
      targetUnitPrice: { amount: "95.50", currency: "EUR" },
      quantity: 400,
      targetDate: changes.targetDate,
      referenceImages: [{ url: "https://files.example/falcon-2.gif", contentType: "image/gif" }],
      status: "DRAFT",
      version: 2,
    });
    expect(timeOf(edited.updatedAt)).toBeGreaterThanOrEqual(timeOf(draft.updatedAt));
    // An edit is not a status change.
    expect(edited.statusHistory.map((h) => h.to)).toEqual(["DRAFT"]);

    // Fields left out stay as they are; a base metal drops the fineness.
    const { updateDesignBrief: second } = ok(await facet.gql(BriefUpdateDocument, { input: { id: draft.id, expectedVersion: 2, metal: "BRASS" } }, { token: company.tokens.admin }));
    expect(second.userErrors).toEqual([]);
    expect(second.designBrief).toMatchObject({ title: "Falcon pendant, second sketch", quantity: 400, metal: "BRASS", fineness: null, plating: "RHODIUM", version: 3 });

    const before = Date.now();
    const { submitDesignBrief } = ok(await facet.gql(BriefSubmitDocument, { input: { id: draft.id, expectedVersion: 3, note: "Ready for pricing" } }, { token: company.tokens.buyer }));
    expect(submitDesignBrief.userErrors).toEqual([]);
    expect(submitDesignBrief.designBrief).toMatchObject({ id: draft.id, status: "SUBMITTED", version: 4 });
    const read = ok(await facet.gql(BriefByIdDocument, { id: draft.id }, { token: company.tokens.buyer })).designBrief!;
    expect(read.statusHistory.map(({ from, to, by, note }) => ({ from, to, by, note }))).toEqual([
      { from: null, to: "DRAFT", by: company.users.buyer.name, note: null },
      { from: "DRAFT", to: "SUBMITTED", by: company.users.buyer.name, note: "Ready for pricing" },
    ]);
    expect(timeOf(read.statusHistory[1].at)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("checks the fineness against the metal the brief will have", async () => {
    const draft = await briefIn(facet, company, "DRAFT");
    const attempts: [Partial<UpdateDesignBriefInput>, string][] = [
      [{ fineness: 925 }, "INVALID"], // the brief is gold
      [{ metal: "PLATINUM" }, "REQUIRED"], // a new precious metal needs its fineness
      [{ metal: "PALLADIUM", fineness: 750 }, "INVALID"],
      [{ metal: "BRASS", fineness: 750 }, "INVALID"],
    ];
    const before = await briefSnapshot(facet.dataSource, draft.id);
    for (const [changes, code] of attempts) {
      const { updateDesignBrief } = ok(await facet.gql(BriefUpdateDocument, { input: { id: draft.id, expectedVersion: 1, ...changes } }, { token: company.tokens.buyer }));
      expect(fieldsAndCodes(updateDesignBrief)).toEqual([[path("input", "fineness"), code]]);
    }
    expect(await briefSnapshot(facet.dataSource, draft.id)).toEqual(before);
    const { updateDesignBrief } = ok(await facet.gql(BriefUpdateDocument, { input: { id: draft.id, expectedVersion: 1, metal: "PLATINUM", fineness: 950 } }, { token: company.tokens.buyer }));
    expect(updateDesignBrief.designBrief).toMatchObject({ metal: "PLATINUM", fineness: 950, version: 2 });
  });

  const refusals: [string, Partial<UpdateDesignBriefInput>, string[], string][] = [
    ["a blank title", { title: " " }, path("input", "title"), "REQUIRED"],
    ["a title over 200 characters", { title: "x".repeat(201) }, path("input", "title"), "TOO_LONG"],
    ["a description over 10000 characters", { description: "x".repeat(10_001) }, path("input", "description"), "TOO_LONG"],
    ["a target price in another currency", { targetUnitPrice: { amount: "10.00", currency: "GBP" } }, path("input", "targetUnitPrice", "currency"), "INVALID"],
    ["a target price with too many decimals", { targetUnitPrice: { amount: "10.001", currency: "EUR" } }, path("input", "targetUnitPrice", "amount"), "INVALID"],
    ["a quantity of zero", { quantity: 0 }, path("input", "quantity"), "OUT_OF_RANGE"],
    ["a target date in the past", { targetDate: dateFromToday(-1) }, path("input", "targetDate"), "OUT_OF_RANGE"],
    ["an http image", { referenceImages: [{ url: "http://files.example/a.jpg", contentType: "image/jpeg" }] }, path("input", "referenceImages", 0, "url"), "INVALID"],
    ["an image of an unknown content type", { referenceImages: [{ url: "https://files.example/a.bmp", contentType: "image/bmp" }] }, path("input", "referenceImages", 0, "contentType"), "INVALID"],
    [
      "more than twenty images",
      { referenceImages: Array.from({ length: 21 }, (_, i) => ({ url: `https://files.example/${i}.jpg`, contentType: "image/jpeg" })) },
      path("input", "referenceImages"),
      "TOO_LONG",
    ],
    ["an unknown id", { id: toGlobalId("DesignBrief", "00000000-0000-4000-8000-000000000000") }, path("input", "id"), "NOT_FOUND"],
    ["a malformed id", { id: "not-a-global-id" }, path("input", "id"), "NOT_FOUND"],
  ];

  it.each(refusals)("refuses %s by name and writes nothing", async (_name, changes, field, code) => {
    const draft = await briefIn(facet, company, "DRAFT");
    const before = await briefSnapshot(facet.dataSource, draft.id);
    const { updateDesignBrief } = ok(await facet.gql(BriefUpdateDocument, { input: { id: draft.id, expectedVersion: 1, ...changes } }, { token: company.tokens.buyer }));
    expect(updateDesignBrief.designBrief).toBeNull();
    expect(fieldsAndCodes(updateDesignBrief)).toEqual([[field, code]]);
    expect(await briefSnapshot(facet.dataSource, draft.id)).toEqual(before);
  });
});

describe("references", () => {
  it("never collide when many briefs are created at once", async () => {
    const company = await briefCompany(facet);
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        facet.gql(BriefCreateStepDocument, { input: briefInput("EUR", { title: `Concurrent ${i}` }) }, { token: i % 2 ? company.tokens.buyer : company.tokens.admin }),
      ),
    );
    const references = results.map((r) => {
      const payload = ok(r).createDesignBrief;
      expect(payload.userErrors).toEqual([]);
      return payload.designBrief!.reference;
    });
    for (const reference of references) expect(reference).toMatch(REFERENCE);
    expect(new Set(references).size).toBe(24);
    const rows = (await facet.dataSource.query(`SELECT reference FROM design_briefs WHERE distributor_id = $1`, [company.distributor.id])) as { reference: string }[];
    expect(rows.map((r) => r.reference).sort()).toEqual([...references].sort());
  });
});

describe("designBrief(id | reference)", () => {
  let company: BriefCompany;
  beforeAll(async () => {
    company = await briefCompany(facet);
  });

  it("wants exactly one of id and reference", async () => {
    const brief = await briefIn(facet, company, "DRAFT");
    const both = await facet.gql(BriefLookupDocument, { id: brief.id, reference: brief.reference }, { token: company.tokens.buyer });
    expect(errorCodes(both)).toEqual(["BAD_USER_INPUT"]);
    const neither = await facet.gql(BriefLookupDocument, {}, { token: company.tokens.buyer });
    expect(errorCodes(neither)).toEqual(["BAD_USER_INPUT"]);
  });

  it("reads an unknown reference, a malformed id and another type's id as missing", async () => {
    const token = company.tokens.buyer;
    for (const variables of [
      { reference: "DB-1999-0001" },
      { id: "bm90LWFuLWlk" },
      { id: toGlobalId("DesignBrief", "00000000-0000-4000-8000-000000000000") },
      { id: toGlobalId("Distributor", company.distributor.id) },
    ]) {
      const result = await facet.gql(BriefLookupDocument, variables, { token });
      expect(result.errors).toBeUndefined();
      expect(result.data?.designBrief).toBeNull();
    }
  });
});

describe("designBriefs(first, after, filter)", () => {
  let company: BriefCompany;
  const briefs: Record<string, Awaited<ReturnType<typeof briefIn>>> = {};
  beforeAll(async () => {
    company = await briefCompany(facet);
    // Created one after another, so the last is the most recently active.
    briefs.draft = await briefIn(facet, company, "DRAFT", { title: "Signet ring with 100% recycled gold", description: "Monogram on the bezel." });
    briefs.submitted = await briefIn(facet, company, "SUBMITTED", { title: "Tennis bracelet", description: "Lab-grown stones, 4 ct in all." });
    briefs.quoted = await briefIn(facet, company, "QUOTED", { title: "Drop earrings", description: "Pearl and sapphire, 50_50 mix of colours." });
    briefs.withdrawn = await briefIn(facet, company, "WITHDRAWN", { title: "Museum brooch", description: "Brass, gilded." });
  });

  const list = (variables: BriefListQueryVariables, token = company.tokens.buyer) => facet.gql(BriefListDocument, variables, { token });
  const references = (result: Awaited<ReturnType<typeof list>>) => ok(result).designBriefs!.edges.map((e) => e.node.reference);

  it("lists the distributor's briefs, most recently active first, page by page", async () => {
    const all = references(await list({}));
    expect(all).toEqual([briefs.withdrawn, briefs.quoted, briefs.submitted, briefs.draft].map((b) => b.reference));

    const first = ok(await list({ first: 3 })).designBriefs;
    expect(first!.edges.map((e) => e.node.reference)).toEqual(all.slice(0, 3));
    expect(first!.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: first!.edges[2].cursor, startCursor: first!.edges[0].cursor });
    const second = ok(await list({ first: 3, after: first!.pageInfo.endCursor })).designBriefs;
    expect(second!.edges.map((e) => e.node.reference)).toEqual(all.slice(3));
    expect(second!.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    // A change moves a brief to the top.
    const { updateDesignBrief } = ok(await facet.gql(BriefUpdateDocument, { input: { id: briefs.draft.id, expectedVersion: 1, quantity: 41 } }, { token: company.tokens.buyer }));
    briefs.draft = { ...briefs.draft, version: updateDesignBrief.designBrief!.version };
    expect(references(await list({ first: 1 }))).toEqual([briefs.draft.reference]);
  });

  it("filters by status", async () => {
    expect(references(await list({ filter: { status: ["QUOTED"] } }))).toEqual([briefs.quoted.reference]);
    expect(new Set(references(await list({ filter: { status: ["DRAFT", "WITHDRAWN"] } })))).toEqual(new Set([briefs.draft.reference, briefs.withdrawn.reference]));
    expect(references(await list({ filter: { status: ["ACCEPTED"] } }))).toEqual([]);
  });

  it("searches the reference, title and description, ignoring case and taking % and _ literally", async () => {
    expect(references(await list({ filter: { search: briefs.submitted.reference.toLowerCase() } }))).toEqual([briefs.submitted.reference]);
    expect(references(await list({ filter: { search: "TENNIS" } }))).toEqual([briefs.submitted.reference]);
    expect(references(await list({ filter: { search: "  monogram " } }))).toEqual([briefs.draft.reference]);
    expect(references(await list({ filter: { search: "100%" } }))).toEqual([briefs.draft.reference]);
    expect(references(await list({ filter: { search: "50_50" } }))).toEqual([briefs.quoted.reference]);
    // As wildcards, these would match "100% recycled gold" and "Brass".
    expect(references(await list({ filter: { search: "10%d" } }))).toEqual([]);
    expect(references(await list({ filter: { search: "br_ss" } }))).toEqual([]);
    expect(references(await list({ filter: { search: "brooch", status: ["DRAFT"] } }))).toEqual([]);
  });

  it("lists changes since a time in update order, for sync", async () => {
    const since = ok(await facet.gql(BriefByIdDocument, { id: briefs.quoted.id }, { token: company.tokens.buyer })).designBrief!.updatedAt;
    const { updateDesignBrief } = ok(await facet.gql(BriefUpdateDocument, { input: { id: briefs.draft.id, expectedVersion: briefs.draft.version, quantity: 42 } }, { token: company.tokens.buyer }));
    briefs.draft = { ...briefs.draft, version: updateDesignBrief.designBrief!.version };
    // Changes are listed once every transaction that began before them has finished (the sync
    // horizon); other test files' transactions can hold it back for seconds.
    let synced: string[] = [];
    for (let attempt = 0; attempt < 60; attempt++) {
      synced = references(await list({ filter: { updatedSince: since } }));
      if (synced.length === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(synced).toEqual([briefs.quoted.reference, briefs.withdrawn.reference, briefs.draft.reference]);
  });

  it("refuses a page size out of range, a foreign cursor and an overlong search", async () => {
    expect(errorCodes(await list({ first: 0 }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await list({ first: 101 }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await list({ after: "bm90LWEtY3Vyc29y" }))).toEqual(["BAD_USER_INPUT"]);
    const recent = ok(await list({ first: 1 })).designBriefs!.pageInfo.endCursor!;
    expect(errorCodes(await list({ after: recent, filter: { updatedSince: "2020-01-01T00:00:00Z" } }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await list({ filter: { search: "x".repeat(101) } }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("is every distributor's for staff", async () => {
    const other = await briefCompany(facet);
    const title = `Staff-visible ${other.distributor.code}`;
    const theirs = await briefIn(facet, other, "SUBMITTED", { title });
    for (const token of [company.tokens.manager, company.tokens.support]) {
      expect(references(await list({ filter: { search: title } }, token))).toEqual([theirs.reference]);
      const byReference = ok(await facet.gql(BriefLookupDocument, { reference: briefs.quoted.reference }, { token }));
      expect(byReference.designBrief?.reference).toBe(briefs.quoted.reference);
    }
  });

  it("pages through briefs changed at the same moment without skipping or repeating one", async () => {
    await facet.dataSource.query(`UPDATE design_briefs SET updated_at = date_trunc('second', now()) WHERE distributor_id = $1`, [company.distributor.id]);
    const seen: string[] = [];
    let after: string | null | undefined = undefined;
    for (let page = 0; page < 5; page++) {
      const { designBriefs }: BriefListQuery = ok(await list({ first: 1, after }));
      seen.push(...designBriefs!.edges.map((e) => e.node.reference));
      if (!designBriefs!.pageInfo.hasNextPage) break;
      after = designBriefs!.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen)).toEqual(new Set(Object.values(briefs).map((b) => b.reference)));
  });
});

describe("the API guide's design-brief walkthrough", () => {
  // The operations of docs/api.md's "Design briefs" section, run as written: only the elided ids
  // are filled in, and the dates move forward together if the earliest has passed.
  const guide = readFileSync(join(__dirname, "..", "docs", "api.md"), "utf8");
  const section = guide.split("## Design briefs: from sketch to order")[1].split("\n## ")[0];
  const operations = [...section.matchAll(/```graphql\n([\s\S]*?)```/g)]
    .flatMap((block) => parse(block[1]).definitions)
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((op) => ({ root: (op.selectionSet.selections[0] as FieldNode).name.value, text: print(op) }));

  function shiftDates(texts: string[]): (text: string) => string {
    const dates = texts.flatMap((t) => [...t.matchAll(/"(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1])).sort();
    const days = Math.max(0, (Date.parse(dateFromToday(1)) - Date.parse(dates[0])) / 86_400_000);
    const shifted = (date: string) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
    return (text) => text.replace(/"(\d{4}-\d{2}-\d{2})"/g, (_m, date: string) => JSON.stringify(shifted(date)));
  }

  it("walks a brief from draft to accepted quote and order", async () => {
    expect(operations.map((o) => o.root)).toEqual([
      "createDesignBrief",
      "submitDesignBrief",
      "startDesignBriefReview",
      "addDesignBriefComment",
      "quoteDesignBrief",
      "acceptDesignBriefQuote",
    ]);
    const company = await briefCompany(facet);
    const staffSide = new Set(["startDesignBriefReview", "addDesignBriefComment", "quoteDesignBrief"]);
    const adaptDates = shiftDates(operations.map((o) => o.text));
    let id = "";
    const results: Record<string, any> = {};
    for (const { root, text } of operations) {
      const adapted = adaptDates(text).replaceAll('"RGVzaWduQnJpZWY6…"', JSON.stringify(id));
      const token = staffSide.has(root) ? company.tokens.manager : company.tokens.buyer;
      const data = ok(await facet.gql(parse(adapted), {}, { token })) as Record<string, any>;
      results[root] = data[root];
      expect({ root, userErrors: data[root].userErrors }).toEqual({ root, userErrors: [] });
      if (root === "createDesignBrief") id = data[root].designBrief.id;
    }

    // What the guide says each step answers.
    const reference = results.createDesignBrief.designBrief.reference;
    expect(results.createDesignBrief.designBrief).toEqual({ id, reference: expect.stringMatching(REFERENCE), status: "DRAFT", version: 1 });
    expect(results.submitDesignBrief.designBrief).toEqual({ status: "SUBMITTED", version: 2 });
    expect(results.startDesignBriefReview.designBrief).toEqual({ status: "IN_REVIEW" });
    expect(results.addDesignBriefComment.comment).toEqual({ id: expect.any(String), author: company.users.manager.name, createdAt: expect.anything() });
    expect(results.quoteDesignBrief.designBrief).toEqual({ status: "QUOTED", quote: { applicableUnitPrice: { amount: "690.00", currency: "EUR" }, validUntil: expect.any(String) } });
    expect(results.acceptDesignBriefQuote.designBrief).toEqual({
      status: "ACCEPTED",
      order: {
        number: expect.stringMatching(/^EXP-\d{4}-\d{6,}$/),
        status: "PENDING",
        total: { amount: "82800.00", currency: "EUR" },
        // Named from what the quote says the piece is made of.
        lines: [{ sku: reference, description: `${reference} Falcon pendant, exclusive line, 22K gold with diamond` }],
      },
    });

    // And the read the section ends with.
    const brief = ok(await facet.gql(BriefByIdDocument, { id }, { token: company.tokens.buyer })).designBrief!;
    expect(brief).toMatchObject({ reference, status: "ACCEPTED", version: 5, fineness: 916, quantity: 120, targetUnitPrice: { amount: "650.00", currency: "EUR" } });
    expect(brief.statusHistory.map((h) => h.to)).toEqual(["DRAFT", "SUBMITTED", "IN_REVIEW", "QUOTED", "ACCEPTED"]);
    const found = ok(await facet.gql(BriefListDocument, { filter: { search: "falcon", status: ["ACCEPTED"] } }, { token: company.tokens.buyer })).designBriefs!.edges;
    expect(found.map((e) => e.node.reference)).toEqual([reference]);
  });
});

describe("the demo data", () => {
  it("gives each demo distributor briefs in every status, with threads, quotes (one expired) and the order an accepted one became", async () => {
    for (const email of ["buyer@atelier-paris.example", "buyer@gulf-gold.example", "buyer@maple-jewels.example"]) {
      const buyer = await facet.dataSource.manager.findOneByOrFail(User, { email });
      const { designBriefs } = ok(await facet.gql(BriefOverviewDocument, { first: 100 }, { token: userToken(facet.config, buyer) }));
      const briefs = designBriefs!.nodes;
      expect(new Set(briefs.map((b) => b.status))).toEqual(new Set(["DRAFT", "SUBMITTED", "IN_REVIEW", "QUOTED", "ACCEPTED", "DECLINED", "WITHDRAWN"]));
      for (const brief of briefs) expect(brief.reference).toMatch(/^DB-\d{4}-\d{4,}$/);
      expect(briefs.some((b) => b.status === "QUOTED" && b.quote?.expired)).toBe(true);
      expect(briefs.filter((b) => b.status === "ACCEPTED").every((b) => b.order !== null)).toBe(true);
      expect(briefs.some((b) => b.comments.nodes.some((c) => c.fromExporter) && b.comments.nodes.some((c) => !c.fromExporter))).toBe(true);
    }
  });
});
