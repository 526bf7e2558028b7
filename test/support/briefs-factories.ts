import type { DataSource } from "typeorm";
import { UserRole } from "../../src/core/access";
import { fromGlobalId, toGlobalId } from "../../src/graphql/node";
import { User, type Distributor } from "../../src/modules/accounts";
import { BriefStatus } from "../../src/modules/briefs";
import { DesignBrief, DesignBriefCommentRow, DesignBriefQuoteRow, DesignBriefStatusChangeRow } from "../../src/modules/briefs/design-brief.entity";
import { Category, Metal, Plating, StoneOrigin, StoneShape, StoneType } from "../../src/modules/catalog/catalog.enums";
import {
  BriefAcceptDocument,
  BriefCreateDocument,
  BriefDeclineDocument,
  BriefQuoteDocument,
  BriefStartReviewDocument,
  BriefSubmitDocument,
  BriefWithdrawDocument,
  type CreateDesignBriefInput,
  type CurrencyCode,
  type QuoteDesignBriefInput,
} from "../generated/graphql";
import { dateFromToday } from "./catalog-factories";
import { clientToken, createApiClient, createDistributor, createUser, unique, userToken } from "./factories";
import { ok, type TestFacet } from "./harness";

export { dateFromToday };

/** A user with a name of its own, so that histories and threads show who acted. */
export async function namedUser(ds: DataSource, role: UserRole, name: string, distributor: Distributor | null = null): Promise<User> {
  const user = await createUser(ds, { distributor, role });
  await ds.manager.update(User, { id: user.id }, { name });
  return { ...user, name } as User;
}

/**
 * One distributor with a buyer, an admin and an ERP client with every scope, plus an export
 * manager and a support person, each with a distinct name and a token.
 */
export async function briefCompany(facet: TestFacet, overrides: Partial<Distributor> = {}) {
  const ds = facet.dataSource;
  const distributor = await createDistributor(ds, overrides);
  const tag = distributor.code;
  const buyer = await namedUser(ds, UserRole.BUYER, `Buyer ${tag}`, distributor);
  const admin = await namedUser(ds, UserRole.DISTRIBUTOR_ADMIN, `Admin ${tag}`, distributor);
  const manager = await namedUser(ds, UserRole.EXPORT_MANAGER, `Manager ${tag}`);
  const support = await namedUser(ds, UserRole.SUPPORT, `Support ${tag}`);
  const { client } = await createApiClient(ds, distributor);
  return {
    distributor,
    currency: distributor.currency as CurrencyCode,
    users: { buyer, admin, manager, support },
    client,
    tokens: {
      buyer: userToken(facet.config, buyer),
      admin: userToken(facet.config, admin),
      manager: userToken(facet.config, manager),
      support: userToken(facet.config, support),
      client: clientToken(facet.config, client),
    },
  };
}
export type BriefCompany = Awaited<ReturnType<typeof briefCompany>>;

/** A valid draft: a 22K gold pendant with a target price in `currency`. */
export function briefInput(currency: CurrencyCode, overrides: Partial<CreateDesignBriefInput> = {}): CreateDesignBriefInput {
  return {
    title: `Falcon pendant ${unique("t")}`,
    description: "Hollow falcon, wings spread, on a 45 cm chain.",
    category: "PENDANT",
    metal: "GOLD",
    fineness: 916,
    plating: "NONE",
    stones: [{ type: "RUBY", shape: "ROUND", count: 2, totalCarat: "0.100", origin: "NATURAL", treatments: ["HEAT"] }],
    targetUnitPrice: { amount: "650.00", currency },
    quantity: 120,
    targetDate: dateFromToday(90),
    referenceImages: [{ url: "https://files.example/falcon.jpg", contentType: "image/jpeg" }],
    ...overrides,
  };
}

/**
 * What the quote of briefInput's pendant says one piece is made of: 22K gold, 6.2 g, two heated
 * rubies. (Typed loosely until the generated types know the quote's composition fields.)
 */
export const QUOTED_PIECE = {
  metal: "GOLD",
  fineness: 916,
  metalWeightGrams: "6.200",
  stones: [{ type: "RUBY", shape: "ROUND", count: 2, totalCarat: "0.100", origin: "NATURAL", treatments: ["HEAT"] }],
} as const;

/** A valid quote for a brief of the given version: 690.00 with a break at 250 units, valid 30 days, for QUOTED_PIECE. */
export function quoteInput(id: string, expectedVersion: number, currency: CurrencyCode, overrides: Partial<QuoteDesignBriefInput> = {}): QuoteDesignBriefInput {
  return {
    id,
    expectedVersion,
    unitPrice: { amount: "690.00", currency },
    quantityBreaks: [{ minQuantity: 250, unitPrice: "640.00" }],
    leadTimeDays: 45,
    sampleDate: dateFromToday(9),
    validUntil: dateFromToday(7),
    ...QUOTED_PIECE,
    ...overrides,
  } as QuoteDesignBriefInput;
}

export interface BriefHandle {
  id: string;
  reference: string;
  version: number;
  status: string;
  updatedAt: string;
}

// How the API reaches each status from a new draft.
const PATHS: Record<BriefStatus, ("SUBMIT" | "START_REVIEW" | "QUOTE" | "ACCEPT" | "DECLINE" | "WITHDRAW")[]> = {
  DRAFT: [],
  SUBMITTED: ["SUBMIT"],
  IN_REVIEW: ["SUBMIT", "START_REVIEW"],
  QUOTED: ["SUBMIT", "START_REVIEW", "QUOTE"],
  ACCEPTED: ["SUBMIT", "START_REVIEW", "QUOTE", "ACCEPT"],
  DECLINED: ["SUBMIT", "START_REVIEW", "QUOTE", "DECLINE"],
  WITHDRAWN: ["SUBMIT", "WITHDRAW"],
};

/** Creates a brief through the API as the company's buyer and walks it to `status`. */
export async function briefIn(facet: TestFacet, company: BriefCompany, status: BriefStatus | `${BriefStatus}`, input: Partial<CreateDesignBriefInput> = {}): Promise<BriefHandle> {
  const { buyer, manager } = company.tokens;
  const created = ok(await facet.gql(BriefCreateDocument, { input: briefInput(company.currency, input) }, { token: buyer })).createDesignBrief;
  if (!created.designBrief) throw new Error(`createDesignBrief refused: ${JSON.stringify(created.userErrors)}`);
  let brief: BriefHandle = created.designBrief;
  for (const step of PATHS[status as BriefStatus]) {
    const action = { id: brief.id, expectedVersion: brief.version };
    const payload =
      step === "SUBMIT"
        ? ok(await facet.gql(BriefSubmitDocument, { input: action }, { token: buyer })).submitDesignBrief
        : step === "START_REVIEW"
          ? ok(await facet.gql(BriefStartReviewDocument, { input: action }, { token: manager })).startDesignBriefReview
          : step === "QUOTE"
            ? ok(await facet.gql(BriefQuoteDocument, { input: quoteInput(brief.id, brief.version, company.currency) }, { token: manager })).quoteDesignBrief
            : step === "ACCEPT"
              ? ok(await facet.gql(BriefAcceptDocument, { input: action }, { token: buyer })).acceptDesignBriefQuote
              : step === "DECLINE"
                ? ok(await facet.gql(BriefDeclineDocument, { input: action }, { token: buyer })).declineDesignBriefQuote
                : ok(await facet.gql(BriefWithdrawDocument, { input: action }, { token: buyer })).withdrawDesignBrief;
    if (!payload.designBrief) throw new Error(`${step} refused: ${JSON.stringify(payload.userErrors)}`);
    brief = payload.designBrief;
  }
  if (brief.status !== status) throw new Error(`expected ${status}, got ${brief.status}`);
  return brief;
}

export const briefDbId = (globalId: string) => fromGlobalId(globalId)!.id;

/** Milliseconds of a DateTime field, which arrives as a Date through executeOperation and as a string over HTTP. */
export const timeOf = (value: unknown) => new Date(value as string | Date).getTime();

/**
 * Everything a change to a brief could write: its row and how many history entries, comments,
 * quotes and orders hang off it. Read outside any request, so row-level security hides nothing.
 */
export async function briefSnapshot(ds: DataSource, globalId: string) {
  const [row] = (await ds.query(
    `SELECT b.*,
            (SELECT count(*)::int FROM design_brief_status_changes h WHERE h.brief_id = b.id) AS history_count,
            (SELECT count(*)::int FROM design_brief_comments c WHERE c.brief_id = b.id) AS comment_count,
            (SELECT count(*)::int FROM design_brief_quotes q WHERE q.brief_id = b.id) AS quote_count,
            (SELECT count(*)::int FROM orders o WHERE o.design_brief_id = b.id) AS order_count
       FROM design_briefs b WHERE b.id = $1`,
    [briefDbId(globalId)],
  )) as Record<string, unknown>[];
  if (!row) throw new Error(`no brief ${globalId}`);
  return row;
}

/**
 * Briefs straight in the database (no validation), each with a history, a thread of `comments`
 * public messages plus one internal note, and a quote: for read tests that need many of them.
 */
export async function insertBriefs(ds: DataSource, distributor: Distributor, author: User, count: number, { comments = 3, titlePrefix = unique("Bulk") } = {}): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const [{ seq }] = (await ds.query(`SELECT nextval('design_brief_reference_seq') AS seq`)) as { seq: string }[];
    const { identifiers } = await ds.manager.insert(DesignBrief, {
      reference: `DB-${new Date().getUTCFullYear()}-${seq.padStart(4, "0")}`,
      distributorId: distributor.id,
      createdByUserId: author.id,
      title: `${titlePrefix} ${i}`,
      description: "Inserted for a read test.",
      category: Category.RING,
      metal: Metal.GOLD,
      fineness: 750,
      plating: Plating.NONE,
      stones: [],
      targetUnitPrice: "100.0000",
      currency: distributor.currency as DesignBrief["currency"],
      quantity: 10,
      referenceImages: [],
      status: BriefStatus.QUOTED,
    });
    const briefId = identifiers[0].id as string;
    const statuses = [null, BriefStatus.DRAFT, BriefStatus.SUBMITTED, BriefStatus.IN_REVIEW, BriefStatus.QUOTED];
    for (let s = 1; s < statuses.length; s++) {
      await ds.manager.insert(DesignBriefStatusChangeRow, { briefId, fromStatus: statuses[s - 1], toStatus: statuses[s]!, changedByUserId: author.id, changedByName: author.name });
    }
    for (let c = 0; c < comments; c++) {
      await ds.manager.insert(DesignBriefCommentRow, { briefId, authorUserId: author.id, authorName: author.name, authorIsStaff: false, body: `message ${c}`, internal: false });
    }
    await ds.manager.insert(DesignBriefCommentRow, { briefId, authorName: "Staff", authorIsStaff: true, body: "internal note", internal: true });
    await ds.manager.insert(DesignBriefQuoteRow, {
      briefId,
      unitPrice: "120.0000",
      currency: distributor.currency as DesignBrief["currency"],
      quantityBreaks: [],
      leadTimeBusinessDays: 26,
      leadTimeDays: 30,
      validUntil: dateFromToday(30),
      composition: {
        metal: Metal.GOLD,
        fineness: 750,
        plating: { type: Plating.NONE, karat: null, thicknessMicrons: null },
        metalWeightGrams: "4.500",
        stones: [{ type: StoneType.DIAMOND, shape: StoneShape.ROUND, count: 1, totalCarat: "0.100", origin: StoneOrigin.NATURAL, treatments: [] }],
      },
    });
    ids.push(toGlobalId("DesignBrief", briefId));
  }
  return ids;
}
