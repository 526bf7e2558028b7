import { Brackets, type SelectQueryBuilder } from "typeorm";
import { oneOf } from "../../db/rows";
import { ApiScope, UserRole } from "../../core/access";
import { cursorValues, pageSize, paginate, toConnection, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { isStaff, type RequestContext } from "../../core/context";
import { loader } from "../../db/loaders";
import { expensiveRead } from "../../graphql/budget";
import { BadUserInputError, ForbiddenError } from "../../graphql/errors";
import { fitsStorage, money, multiply, toScaled, trimDecimal, type Money, type MoneyInput } from "../../graphql/money";
import { idOfType, toGlobalId } from "../../graphql/node";
import { minorUnits, type CurrencyCode } from "../../graphql/scalars";
import { Rejected, UserErrorCode, UserErrors, userError, type UserError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { likePattern, readSyncHorizon } from "../../db/sql";
import { mutate } from "../../graphql/mutation";
import { lookUp } from "../../db/search";
import { tenantQuery } from "../../db/tenancy";
import { actorOf, Distributor, type Actor } from "../accounts";
import { addBusinessDays, addCalendarDays, businessDaysBetween, calendarDaysBetween, calendarFromToday, exporterToday } from "../calendar";
import { checkFineness, checkPlating, compositionView, Plating, threeDecimals, validStones, type CompositionRow } from "../catalog";
import { recordEvents, type NewEvent } from "../events";
import { placeDesignBriefOrder } from "../orders";
import { FIXED_METALS, freshFix, rateAt, type MetalPrice } from "../pricing";
import { allowedFrom, BriefAction, BriefStatus, transition } from "./brief-state";
import type {
  AddDesignBriefCommentInput,
  AddDesignBriefCommentPayload,
  CreateDesignBriefInput,
  DesignBriefActionInput,
  DesignBriefFilter,
  DesignBriefPayload,
  QuoteDesignBriefInput,
  ReferenceImageInput,
  RequestDesignBriefRevisionInput,
  UpdateDesignBriefInput,
} from "./briefs.inputs";
import { commentPagesWithNotes, commentPagesWithoutNotes, historyByBrief, latestQuoteByBrief, metalPriceById } from "./briefs.loaders";
import type { DesignBriefComment, DesignBriefQuote, DesignBriefQuoteMetalBasis, DesignBriefStatusChange, ReferenceImage } from "./briefs.types";
import {
  DesignBrief,
  DesignBriefCommentRow,
  DesignBriefQuoteRow,
  DesignBriefStatusChangeRow,
  type QuantityBreakRow,
  type ReferenceImageRow,
} from "./design-brief.entity";
import { QuotePriceBasis, surchargedPrice } from "./quote-basis";

const MAX_IMAGES = 20;
const MAX_BREAKS = 10;
const MAX_SEARCH_LENGTH = 100;
const CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif", "image/svg+xml", "application/pdf"];


// ---- reads -------------------------------------------------------------------------------

const RECENT_FIRST: Ordering<DesignBrief> = { name: "recent", keys: [{ sql: "b.updatedAt", direction: "DESC", value: (b) => b.updatedAt }], id: "b.id" };
const SYNC_ORDER: Ordering<DesignBrief> = { name: "updated", keys: [{ sql: "b.updatedAt", direction: "ASC", value: (b) => b.updatedAt }], id: "b.id" };
const THREAD_ORDER: Ordering<DesignBriefComment> = { name: "thread", keys: [{ sql: "c.seq", direction: "ASC", value: (c) => c.seq, type: "bigint" }], id: "c.id" };


/**
 * Briefs the caller may see, most recently active first; with `updatedSince`, in update order
 * up to the sync horizon, for incremental sync.
 */
export async function listBriefs(ctx: RequestContext, args: ConnectionArgs, filter: DesignBriefFilter | null | undefined): Promise<ConnectionResult<DesignBrief>> {
  const f = filter ?? {};
  const search = f.search?.trim();
  if (search && search.length > MAX_SEARCH_LENGTH) throw new BadUserInputError("filter", `filter.search may be at most ${MAX_SEARCH_LENGTH} characters`);
  const qb = tenantQuery(ctx, DesignBrief, "b");
  if (f.status?.length) qb.andWhere("b.status = ANY(:statuses)", { statuses: f.status });
  const read = async () => {
    if (search) await matchBriefs(ctx, qb, search);
    if (f.updatedSince) {
      // Only changes that are final: see readSyncHorizon.
      qb.andWhere("b.updatedAt >= :updatedSince", { updatedSince: f.updatedSince }).andWhere("b.updatedAt < CAST(:horizon AS timestamptz)", {
        horizon: await readSyncHorizon(ctx.db),
      });
      return paginate(ctx.db, DesignBrief, qb, args, SYNC_ORDER);
    }
    return paginate(ctx.db, DesignBrief, qb, args, RECENT_FIRST);
  };
  return search ? expensiveRead(ctx, read) : read();
}

/**
 * Keeps the briefs whose reference, title or description contains `search`, ignoring case: the
 * ids the trigram indexes give (see db/search.ts), or else a filter on each brief the list walks.
 */
async function matchBriefs(ctx: RequestContext, qb: SelectQueryBuilder<DesignBrief>, search: string): Promise<void> {
  const found = await lookUp(ctx, "facet_search_briefs", search);
  if (Array.isArray(found)) {
    qb.andWhere("b.id = ANY(:matches)", { matches: found });
    return;
  }
  qb.andWhere(new Brackets((or) => or.where("b.reference ILIKE :search").orWhere("b.title ILIKE :search").orWhere("b.description ILIKE :search")), {
    search: likePattern(search),
  });
}

export async function findBrief(ctx: RequestContext, by: { id?: string | null; reference?: string | null }): Promise<DesignBrief | null> {
  if ((by.id == null) === (by.reference == null)) throw new BadUserInputError("id", "Give exactly one of `id` and `reference`");
  const qb = tenantQuery(ctx, DesignBrief, "b");
  if (by.id) {
    const id = idOfType(by.id, "DesignBrief");
    if (!id) return null;
    qb.andWhere("b.id = :id", { id });
  } else {
    qb.andWhere("b.reference = :reference", { reference: by.reference!.trim().toUpperCase() });
  }
  return oneOf(ctx.db, DesignBrief, qb);
}

export function findBriefById(ctx: RequestContext, id: string): Promise<DesignBrief | null> {
  return oneOf(ctx.db, DesignBrief, tenantQuery(ctx, DesignBrief, "b").andWhere("b.id = :id", { id }));
}

export const targetUnitPriceOf = (b: DesignBrief): Money | null => (b.targetUnitPrice ? money(b.targetUnitPrice, b.currency) : null);

export const referenceImagesOf = (b: DesignBrief): ReferenceImage[] => b.referenceImages;

/** The unit price for a quantity: the lowest break it reaches, else the base price. */
function applicablePrice(quote: { unitPrice: string; quantityBreaks: QuantityBreakRow[] }, quantity: number): string {
  const reached = quote.quantityBreaks.filter((b) => b.minQuantity <= quantity).sort((a, b) => b.minQuantity - a.minQuantity);
  return reached[0]?.unitPrice ?? quote.unitPrice;
}

export async function quoteOf(ctx: RequestContext, brief: DesignBrief): Promise<DesignBriefQuote | null> {
  const q = await loader(ctx, latestQuoteByBrief).load(brief.id);
  if (!q) return null;
  return {
    unitPrice: money(q.unitPrice, q.currency),
    quantityBreaks: q.quantityBreaks.map((b) => ({ minQuantity: b.minQuantity, unitPrice: money(b.unitPrice, q.currency) })),
    applicableUnitPrice: money(applicablePrice(q, brief.quantity), q.currency),
    leadTimeBusinessDays: q.leadTimeBusinessDays,
    leadTimeDays: q.leadTimeDays,
    sampleDate: q.sampleDate,
    validUntil: q.validUntil,
    expired: q.validUntil < exporterToday(ctx),
    note: q.note,
    composition: compositionView(q.composition),
    quotedAt: q.createdAt,
    metalBasis: metalBasisOf(q),
  };
}

/** The quote's metal basis as read; null for a quote given before quotes stated one. */
function metalBasisOf(q: DesignBriefQuoteRow): DesignBriefQuoteMetalBasis | null {
  if (!q.priceBasis) return null;
  return {
    metal: q.composition.metal,
    fineness: q.composition.fineness,
    // Every quote with a basis states the weight: the input requires it.
    estimatedMetalWeightGrams: q.composition.metalWeightGrams ?? "0",
    priceBasis: q.priceBasis,
    lockedUntil: q.priceBasis === QuotePriceBasis.LOCKED ? q.validUntil : null,
    usdRate: q.usdRate === null ? null : trimDecimal(q.usdRate),
    usdRateAtAcceptance: q.acceptedUsdRate === null ? null : trimDecimal(q.acceptedUsdRate),
    surchargeAtAcceptance: q.acceptedSurcharge === null ? null : money(q.acceptedSurcharge, q.currency),
    fixId: q.fixId,
    acceptedFixId: q.acceptedFixId,
  };
}

/** A fix a quote names, shared reference data every reader of the quote may see with it. */
export async function fixOf(ctx: RequestContext, id: string | null): Promise<MetalPrice | null> {
  return id ? loader(ctx, metalPriceById).load(id) : null;
}

export async function historyOf(ctx: RequestContext, brief: DesignBrief): Promise<DesignBriefStatusChange[]> {
  const rows = await loader(ctx, historyByBrief).load(brief.id);
  return rows.map((h) => ({ from: h.fromStatus, to: h.toStatus, at: h.changedAt, by: h.changedByName, note: h.note }));
}

// Internal staff notes exist only for staff: a distributor's principal never receives one.
const seesInternal = (ctx: RequestContext) => isStaff(ctx.principal);

function commentView(row: DesignBriefCommentRow): DesignBriefComment {
  return { id: row.id, seq: row.seq, author: row.authorName, fromExporter: row.authorIsStaff, body: row.body, internal: row.internal, createdAt: row.createdAt };
}

/** A page of the brief's thread, oldest first; many briefs' first pages load in one query. */
export async function commentsOf(ctx: RequestContext, brief: DesignBrief, args: ConnectionArgs): Promise<ConnectionResult<DesignBriefComment>> {
  const first = pageSize(args.first);
  const afterSeq = args.after ? String(cursorValues(args.after, THREAD_ORDER)[0]) : null;
  if (afterSeq !== null && !/^\d+$/.test(afterSeq)) throw new BadUserInputError("after", "`after` is not a cursor of this list in this order");
  const pages = seesInternal(ctx) ? commentPagesWithNotes : commentPagesWithoutNotes;
  const rows = await loader(ctx, pages).load({ parentId: brief.id, after: afterSeq === null ? null : [afterSeq], limit: first + 1 });
  return toConnection(rows.map(commentView), first, Boolean(args.after), THREAD_ORDER);
}

// ---- writes ---------------------------------------------------------------------------------



function checkMoney(errors: UserErrors, path: string[], value: MoneyInput, currency: string, label: string): string | undefined {
  if (value.currency !== currency) {
    errors.add([...path, "currency"], `${label} must be in the contract currency, ${currency}`, UserErrorCode.INVALID);
    return undefined;
  }
  return validate.decimal(errors, [...path, "amount"], value.amount, { scale: minorUnits(value.currency), min: 0, max: 1_000_000_000, exclusiveMin: true, label });
}

function checkImages(errors: UserErrors, images: ReferenceImageInput[]): ReferenceImageRow[] {
  if (images.length > MAX_IMAGES) errors.add(["input", "referenceImages"], `At most ${MAX_IMAGES} reference images`, UserErrorCode.TOO_LONG);
  return images.slice(0, MAX_IMAGES).map((img, i) => {
    const url = validate.httpsUrl(errors, ["input", "referenceImages", i, "url"], img.url, "Image URL") ?? "";
    const contentType = (img.contentType ?? "").trim().toLowerCase();
    if (!CONTENT_TYPES.includes(contentType)) {
      errors.add(["input", "referenceImages", i, "contentType"], `Content type must be one of ${CONTENT_TYPES.join(", ")}`, UserErrorCode.INVALID);
    }
    return { url, contentType };
  });
}

function checkTargetDate(ctx: RequestContext, errors: UserErrors, date: string | null | undefined): void {
  const today = exporterToday(ctx);
  if (date && date < today) errors.add(["input", "targetDate"], `Target date must be today (${today}) or later`, UserErrorCode.OUT_OF_RANGE);
}

async function ownDistributor(ctx: RequestContext): Promise<Distributor> {
  const id = ctx.principal?.distributorId;
  if (!id) throw new Error("a design brief is written by a distributor's principal");
  return ctx.db.findOneByOrFail(Distributor, { id });
}

/** What an event names of a brief. */
type BriefRef = Pick<DesignBrief, "id" | "distributorId" | "reference">;

function briefEvent(type: NewEvent["type"], brief: BriefRef, changed: Record<string, unknown>): NewEvent {
  return { type, distributorId: brief.distributorId, subjectId: brief.id, data: { designBriefId: toGlobalId("DesignBrief", brief.id), reference: brief.reference, ...changed } };
}

async function recordChange(tx: RequestContext, actor: Actor, brief: BriefRef, from: BriefStatus | null, to: BriefStatus, note: string | null, quoted = false): Promise<void> {
  const events = [briefEvent("design_brief.status_changed", brief, { from, to })];
  if (quoted) events.push(briefEvent("design_brief.quoted", brief, { status: to }));
  await recordEvents(tx, events);
  await tx.db.insert(DesignBriefStatusChangeRow, {
    briefId: brief.id,
    fromStatus: from,
    toStatus: to,
    changedByUserId: actor.userId,
    changedByApiClientId: actor.apiClientId,
    changedByName: actor.name,
    note,
  });
}

async function addComment(tx: RequestContext, actor: Actor, brief: BriefRef, body: string, internal: boolean): Promise<DesignBriefCommentRow> {
  const { identifiers } = await tx.db.insert(DesignBriefCommentRow, {
    briefId: brief.id,
    authorUserId: actor.userId,
    authorApiClientId: actor.apiClientId,
    authorName: actor.name,
    authorIsStaff: actor.staff,
    body,
    internal,
  });
  // An internal note is the exporter's own: never news for the distributor.
  if (!internal) await recordEvents(tx, [briefEvent("design_brief.commented", brief, { commentId: identifiers[0].id, fromExporter: actor.staff })]);
  return tx.db.findOneByOrFail(DesignBriefCommentRow, { id: identifiers[0].id as string });
}

export async function createBrief(ctx: RequestContext, input: CreateDesignBriefInput): Promise<DesignBriefPayload> {
  const distributor = await ownDistributor(ctx);
  const errors = new UserErrors();
  const title = validate.text(errors, ["input", "title"], input.title, { max: 200, label: "Title" });
  const description = validate.text(errors, ["input", "description"], input.description, { min: 0, max: 10_000, label: "Description" }) ?? "";
  const spec = { metal: input.metal, fineness: input.fineness ?? null, plating: input.plating };
  checkFineness(errors, spec.metal, spec.fineness);
  const stones = validStones(errors, input.stones ?? []);
  const target = input.targetUnitPrice ? checkMoney(errors, ["input", "targetUnitPrice"], input.targetUnitPrice, distributor.currency, "Target unit price") : null;
  validate.integer(errors, ["input", "quantity"], input.quantity, { min: 1, max: 100_000, label: "Quantity" });
  checkTargetDate(ctx, errors, input.targetDate);
  const referenceImages = checkImages(errors, input.referenceImages ?? []);
  if (errors.any || !title) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    // A sequence never hands out a number twice, however many briefs are created at once.
    const [{ seq }] = (await tx.db.query(`SELECT nextval('design_brief_reference_seq') AS seq`)) as { seq: string }[];
    const actor = await actorOf(tx);
    const { identifiers } = await tx.db.insert(DesignBrief, {
      reference: `DB-${exporterToday(tx).slice(0, 4)}-${seq.padStart(4, "0")}`,
      distributorId: distributor.id,
      createdByUserId: actor.userId,
      createdByApiClientId: actor.apiClientId,
      title,
      description,
      category: input.category,
      ...spec,
      stones,
      targetUnitPrice: target ?? null,
      currency: distributor.currency,
      quantity: input.quantity,
      targetDate: input.targetDate ?? null,
      referenceImages,
      status: BriefStatus.DRAFT,
    });
    const id = identifiers[0].id as string;
    const created = await tx.db.findOneByOrFail(DesignBrief, { id });
    await recordChange(tx, actor, created, null, BriefStatus.DRAFT, null);
    return { designBrief: created, userErrors: [] as UserError[] };
  });
}

// How a refusal names what was asked: "A brief that is ACCEPTED cannot be withdrawn".
const REFUSED: Record<BriefAction | "EDIT", string> = {
  EDIT: "be edited",
  SUBMIT: "be submitted",
  START_REVIEW: "be taken into review",
  QUOTE: "be quoted",
  ACCEPT: "have its quote accepted",
  DECLINE: "have its quote declined",
  REQUEST_REVISION: "go into another round",
  WITHDRAW: "be withdrawn",
};

/**
 * Loads the brief for a change and checks, in this order, that the caller may see it, that the
 * caller read the current version, and that the workflow allows the action from its status.
 */
async function briefForChange(tx: RequestContext, globalId: string, expectedVersion: number, action: BriefAction | null): Promise<DesignBrief> {
  const id = idOfType(globalId, "DesignBrief");
  const brief = id ? await tenantQuery(tx, DesignBrief, "b").andWhere("b.id = :id", { id }).setLock("pessimistic_write").getOne() : null;
  if (!brief) throw new Rejected(userError(["input", "id"], "No such design brief", UserErrorCode.NOT_FOUND));
  if (brief.version !== expectedVersion) {
    throw new Rejected(
      userError(["input", "expectedVersion"], `The brief changed since you read it (now version ${brief.version}); read it again`, UserErrorCode.STALE_VERSION),
    );
  }
  const allowed = action === null ? [BriefStatus.DRAFT] : allowedFrom(action);
  if (!allowed.includes(brief.status)) {
    throw new Rejected(userError(["input", "id"], `A brief that is ${brief.status} cannot ${REFUSED[action ?? "EDIT"]}`, UserErrorCode.INVALID_STATE));
  }
  return brief;
}

/**
 * Compare-and-swap on the version in the UPDATE itself: if another writer got in first, nothing
 * is written and the caller gets STALE_VERSION.
 */
async function swap(tx: RequestContext, brief: DesignBrief, changes: Partial<DesignBrief>): Promise<DesignBrief> {
  const result = await tx.db
    .createQueryBuilder()
    .update(DesignBrief)
    .set({ ...changes, version: () => "version + 1", updatedAt: () => "now()" })
    .where("id = :id AND version = :version", { id: brief.id, version: brief.version })
    .execute();
  if (result.affected !== 1) {
    throw new Rejected(userError(["input", "expectedVersion"], "The brief changed since you read it; read it again", UserErrorCode.STALE_VERSION));
  }
  return tx.db.findOneByOrFail(DesignBrief, { id: brief.id });
}

export async function updateBrief(ctx: RequestContext, input: UpdateDesignBriefInput): Promise<DesignBriefPayload> {
  const distributor = await ownDistributor(ctx);
  const errors = new UserErrors();
  const changes: Partial<DesignBrief> = {};
  if (input.title != null) changes.title = validate.text(errors, ["input", "title"], input.title, { max: 200, label: "Title" });
  if (input.description != null) changes.description = validate.text(errors, ["input", "description"], input.description, { min: 0, max: 10_000, label: "Description" }) ?? "";
  if (input.category != null) changes.category = input.category;
  if (input.plating != null) changes.plating = input.plating;
  if (input.stones != null) changes.stones = validStones(errors, input.stones);
  if (input.targetUnitPrice != null) changes.targetUnitPrice = checkMoney(errors, ["input", "targetUnitPrice"], input.targetUnitPrice, distributor.currency, "Target unit price");
  if (input.quantity != null) changes.quantity = validate.integer(errors, ["input", "quantity"], input.quantity, { min: 1, max: 100_000, label: "Quantity" });
  if (input.targetDate != null) {
    checkTargetDate(ctx, errors, input.targetDate);
    changes.targetDate = input.targetDate;
  }
  if (input.referenceImages != null) changes.referenceImages = checkImages(errors, input.referenceImages);
  if (errors.any) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const brief = await briefForChange(tx, input.id, input.expectedVersion, null);
    if (input.metal != null || input.fineness != null) {
      const spec = { metal: input.metal ?? brief.metal, fineness: input.fineness ?? (input.metal != null ? null : brief.fineness), plating: brief.plating };
      const specErrors = new UserErrors();
      checkFineness(specErrors, spec.metal, spec.fineness);
      if (specErrors.any) throw new Rejected(specErrors.list);
      changes.metal = spec.metal;
      changes.fineness = spec.fineness;
    }
    return { designBrief: await swap(tx, brief, changes), userErrors: [] as UserError[] };
  });
}

function validNote(errors: UserErrors, note: string | null | undefined): string | null {
  return note != null && note.trim() !== "" ? (validate.text(errors, ["input", "note"], note, { max: 2000, label: "Note" }) ?? null) : null;
}

/** A workflow step that changes only the status (submit, withdraw, start review, decline). */
async function step(ctx: RequestContext, input: DesignBriefActionInput, action: BriefAction): Promise<DesignBriefPayload> {
  const errors = new UserErrors();
  const note = validNote(errors, input.note);
  if (errors.any) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const brief = await briefForChange(tx, input.id, input.expectedVersion, action);
    const to = transition(brief.status, action)!;
    const updated = await swap(tx, brief, { status: to });
    const actor = await actorOf(tx);
    await recordChange(tx, actor, brief, brief.status, to, note);
    if (action === BriefAction.DECLINE && note) await addComment(tx, actor, brief, note, false);
    return { designBrief: updated, userErrors: [] as UserError[] };
  });
}

export const submitBrief = (ctx: RequestContext, input: DesignBriefActionInput) => step(ctx, input, BriefAction.SUBMIT);
export const withdrawBrief = (ctx: RequestContext, input: DesignBriefActionInput) => step(ctx, input, BriefAction.WITHDRAW);
export const startReview = (ctx: RequestContext, input: DesignBriefActionInput) => step(ctx, input, BriefAction.START_REVIEW);
export const declineQuote = (ctx: RequestContext, input: DesignBriefActionInput) => step(ctx, input, BriefAction.DECLINE);

export async function requestRevision(ctx: RequestContext, input: RequestDesignBriefRevisionInput): Promise<DesignBriefPayload> {
  const errors = new UserErrors();
  const comment = validate.text(errors, ["input", "comment"], input.comment, { max: 5000, label: "Comment" });
  if (errors.any || !comment) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const brief = await briefForChange(tx, input.id, input.expectedVersion, BriefAction.REQUEST_REVISION);
    const to = transition(brief.status, BriefAction.REQUEST_REVISION)!;
    const updated = await swap(tx, brief, { status: to });
    const actor = await actorOf(tx);
    await recordChange(tx, actor, brief, brief.status, to, "another round requested");
    await addComment(tx, actor, brief, comment, false);
    return { designBrief: updated, userErrors: [] as UserError[] };
  });
}

/**
 * What the quote says one piece will be made of: a legal fineness for the metal, the estimated
 * metal weight (which customs declares for every piece of the order), the plating as it will be
 * made and the stones (docs/domain.md, "Design briefs: what a quoted piece is made of").
 */
function quotedComposition(errors: UserErrors, input: QuoteDesignBriefInput): CompositionRow {
  const fineness = input.fineness ?? null;
  checkFineness(errors, input.metal, fineness);
  const weight = validate.decimal(errors, ["input", "metalWeightGrams"], input.metalWeightGrams, { scale: 3, min: 0, max: 10_000, exclusiveMin: true, label: "Metal weight" });
  const plating = checkPlating(
    errors,
    { karat: ["input", "plating", "karat"], thickness: ["input", "plating", "thicknessMicrons"] },
    input.plating ?? { type: Plating.NONE },
  );
  const stones = validStones(errors, input.stones ?? []);
  return { metal: input.metal, fineness, plating, metalWeightGrams: weight ? threeDecimals(weight) : null, stones };
}

/**
 * The quoted lead time, given once: in business days on the exporter's calendar, or (the
 * deprecated way) in calendar days, which are quoted as the business days they hold from today.
 */
function quotedLeadTime(errors: UserErrors, input: QuoteDesignBriefInput): { days: number; unit: "business" | "calendar" } | undefined {
  const business = input.leadTimeBusinessDays ?? null;
  const calendar = input.leadTimeDays ?? null;
  if (business !== null && calendar !== null) {
    errors.add(["input", "leadTimeDays"], "Give the lead time once: in business days, as leadTimeBusinessDays", UserErrorCode.INVALID);
    return undefined;
  }
  const field = calendar !== null ? "leadTimeDays" : "leadTimeBusinessDays";
  const days = validate.integer(errors, ["input", field], business ?? calendar, { min: 1, max: 730, label: "Lead time" });
  return days === undefined ? undefined : { days, unit: calendar !== null ? "calendar" : "business" };
}

export async function quoteBrief(ctx: RequestContext, input: QuoteDesignBriefInput): Promise<DesignBriefPayload> {
  const errors = new UserErrors();
  const leadTime = quotedLeadTime(errors, input);
  const today = exporterToday(ctx);
  const inAYear = addCalendarDays(today, 366);
  const precious = FIXED_METALS.includes(input.metal);
  const basis = input.priceBasis ?? QuotePriceBasis.LOCKED;
  // A precious metal's price moves every day: a LOCKED price holds for a short while only.
  const lockEnd = addCalendarDays(today, ctx.config.quotePriceLockMaxDays);
  if (input.validUntil < today || input.validUntil > inAYear) {
    errors.add(["input", "validUntil"], `Valid until must be between today (${today}) and ${inAYear}`, UserErrorCode.OUT_OF_RANGE);
  } else if (basis === QuotePriceBasis.LOCKED && precious && input.validUntil > lockEnd) {
    errors.add(
      ["input", "validUntil"],
      `A LOCKED price holds at most ${ctx.config.quotePriceLockMaxDays} days: valid until ${lockEnd} at the latest, or quote a SURCHARGE price`,
      UserErrorCode.OUT_OF_RANGE,
    );
  }
  if (basis === QuotePriceBasis.SURCHARGE && !precious) {
    errors.add(["input", "priceBasis"], `A surcharge follows a metal fix, and ${input.metal} has none: quote a LOCKED price`, UserErrorCode.INVALID);
  }
  if (input.sampleDate && input.sampleDate < today) errors.add(["input", "sampleDate"], `Sample date must be today (${today}) or later`, UserErrorCode.OUT_OF_RANGE);
  const note = validNote(errors, input.note);
  const breaks = input.quantityBreaks ?? [];
  if (breaks.length > MAX_BREAKS) errors.add(["input", "quantityBreaks"], `At most ${MAX_BREAKS} quantity breaks`, UserErrorCode.TOO_LONG);
  const composition = quotedComposition(errors, input);
  if (errors.any || !leadTime) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const brief = await briefForChange(tx, input.id, input.expectedVersion, BriefAction.QUOTE);
    const checks = new UserErrors();
    const unitPrice = checkMoney(checks, ["input", "unitPrice"], input.unitPrice, brief.currency, "Unit price");
    const rows: QuantityBreakRow[] = [];
    breaks.forEach((b, i) => {
      const path = ["input", "quantityBreaks", i];
      validate.integer(checks, [...path, "minQuantity"], b.minQuantity, { min: 2, max: 100_000, label: "Break quantity" });
      const price = validate.decimal(checks, [...path, "unitPrice"], b.unitPrice, { scale: minorUnits(brief.currency), min: 0, max: 1_000_000_000, exclusiveMin: true, label: "Break price" });
      if (i > 0 && b.minQuantity <= breaks[i - 1].minQuantity) checks.add([...path, "minQuantity"], "Breaks must be in ascending quantity", UserErrorCode.INVALID);
      if (price && unitPrice && toScaled(price) >= toScaled(unitPrice)) checks.add([...path, "unitPrice"], "A break price must be below the base unit price", UserErrorCode.INVALID);
      if (price) rows.push({ minQuantity: b.minQuantity, unitPrice: price });
    });
    if (checks.any || !unitPrice) throw new Rejected(checks.list);
    // Accepting places one order for the brief's quantity; it must fit in an order's total.
    if (!fitsStorage(multiply(unitPrice, brief.quantity))) {
      throw new Rejected(userError(["input", "unitPrice", "amount"], `${brief.quantity} units at this price are more than one order can hold`, UserErrorCode.OUT_OF_RANGE));
    }
    // Both units are kept: business days are what acceptance counts; calendar days what the
    // deprecated field shows, the span of those business days from today.
    // The fix and rate the price rests on, checked last: a stale fix is the exporter's to record.
    const fix = precious ? (await freshFix(tx, input.metal, ["input", "metal"])).fix : null;
    const rate = fix ? await usdRateTo(tx, brief.currency, ["input", "metal"]) : null;
    const { calendar } = await calendarFromToday(tx);
    const leadTimeBusinessDays =
      leadTime.unit === "business" ? leadTime.days : Math.max(1, businessDaysBetween(calendar, today, addCalendarDays(today, leadTime.days)));
    const actor = await actorOf(tx);
    await tx.db.insert(DesignBriefQuoteRow, {
      briefId: brief.id,
      unitPrice,
      currency: brief.currency,
      quantityBreaks: rows,
      leadTimeBusinessDays,
      leadTimeDays: leadTime.unit === "calendar" ? leadTime.days : calendarDaysBetween(today, addBusinessDays(calendar, today, leadTimeBusinessDays)),
      sampleDate: input.sampleDate ?? null,
      validUntil: input.validUntil,
      note,
      composition,
      quotedByUserId: actor.userId,
      priceBasis: basis,
      fixId: fix?.id ?? null,
      fixUsdPerTroyOunce: fix?.pricePerTroyOunce ?? null,
      fixedAt: fix?.fixedAt ?? null,
      usdRate: rate?.rate ?? null,
      rateId: rate?.id ?? null,
    });
    const to = transition(brief.status, BriefAction.QUOTE)!;
    const updated = await swap(tx, brief, { status: to });
    await recordChange(tx, actor, brief, brief.status, to, brief.status === BriefStatus.QUOTED ? "revised quote" : note, true);
    return { designBrief: updated, userErrors: [] as UserError[] };
  });
}

/**
 * Units of `currency` per US dollar now, and the exchange_rates row it comes from (none for US
 * dollars). Refused with STALE_PRICE, naming `field`, when no rate is recorded.
 */
async function usdRateTo(tx: RequestContext, currency: CurrencyCode, field: (string | number)[]): Promise<{ rate: string; id: string | null }> {
  if (currency === "USD") return { rate: "1", id: null };
  const applied = await rateAt(tx, "USD", currency);
  if (!applied) {
    throw new Rejected(userError(field, `No USD→${currency} exchange rate is recorded: an export manager must record one before a metal price can be given in ${currency}`, UserErrorCode.STALE_PRICE));
  }
  return { rate: applied.rate, id: applied.exchangeRateId };
}

/**
 * The unit price the order is placed at: the quoted one (breaks considered), plus, for a
 * SURCHARGE quote, what the metal costs above the quote's fix at today's fresh fix and rate; with
 * what the surcharge was measured with, for the quote's record.
 */
async function acceptedUnitPrice(tx: RequestContext, quote: DesignBriefQuoteRow, quantity: number): Promise<{ unitPrice: string; surcharge: Partial<DesignBriefQuoteRow> | null }> {
  const listPrice = applicablePrice(quote, quantity);
  if (quote.priceBasis !== QuotePriceBasis.SURCHARGE) return { unitPrice: listPrice, surcharge: null };
  const { fix } = await freshFix(tx, quote.composition.metal, ["input", "id"]);
  const rate = await usdRateTo(tx, quote.currency, ["input", "id"]);
  const priced = surchargedPrice(
    { metalWeightGrams: quote.composition.metalWeightGrams!, fineness: quote.composition.fineness! },
    listPrice,
    { fixUsdPerTroyOunce: quote.fixUsdPerTroyOunce!, usdRate: quote.usdRate! },
    { fixUsdPerTroyOunce: fix.pricePerTroyOunce, usdRate: rate.rate },
    minorUnits(quote.currency),
  );
  if (!fitsStorage(multiply(priced.price, quantity))) {
    throw new Rejected(userError(["input", "id"], `${quantity} units at ${priced.price} ${quote.currency} are more than one order can hold`, UserErrorCode.OUT_OF_RANGE));
  }
  return {
    unitPrice: priced.price,
    surcharge: { acceptedFixId: fix.id, acceptedFixUsdPerTroyOunce: fix.pricePerTroyOunce, acceptedUsdRate: rate.rate, acceptedRateId: rate.id, acceptedSurcharge: priced.surcharge },
  };
}

export async function acceptQuote(ctx: RequestContext, input: DesignBriefActionInput): Promise<DesignBriefPayload> {
  // Accepting places an order, so an ERP client needs orders:write beside briefs:write.
  const principal = ctx.principal;
  if (principal?.kind === "apiClient" && !principal.scopes.includes(ApiScope.ORDERS_WRITE)) throw new ForbiddenError();
  const errors = new UserErrors();
  const note = validNote(errors, input.note);
  if (errors.any) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const brief = await briefForChange(tx, input.id, input.expectedVersion, BriefAction.ACCEPT);
    const quote = await tx.db.findOne(DesignBriefQuoteRow, { where: { briefId: brief.id }, order: { seq: "DESC" } });
    if (!quote) throw new Rejected(userError(["input", "id"], "The brief has no quote", UserErrorCode.INVALID_STATE));
    if (quote.validUntil < exporterToday(tx)) {
      const what = quote.priceBasis === QuotePriceBasis.LOCKED ? `The quote's locked price held until ${quote.validUntil}` : `The quote expired on ${quote.validUntil}`;
      throw new Rejected(userError(["input", "id"], `${what}; ask for a new one`, UserErrorCode.INVALID_STATE));
    }
    // A quote given before quotes stated the metal weight cannot be declared in customs.
    if (quote.composition.metalWeightGrams === null) {
      throw new Rejected(userError(["input", "id"], "The quote states no metal weight; ask for a new one", UserErrorCode.INVALID_STATE));
    }
    const { unitPrice, surcharge } = await acceptedUnitPrice(tx, quote, brief.quantity);
    const distributor = await tx.db.findOneByOrFail(Distributor, { id: brief.distributorId });
    const order = await placeDesignBriefOrder(tx, distributor, {
      id: brief.id,
      reference: brief.reference,
      description: `${brief.reference} ${brief.title}`,
      quantity: brief.quantity,
      unitPrice,
      leadTimeBusinessDays: quote.leadTimeBusinessDays,
      composition: quote.composition,
    });
    if (surcharge) await tx.db.update(DesignBriefQuoteRow, { id: quote.id }, surcharge);
    const updated = await swap(tx, brief, { status: BriefStatus.ACCEPTED, orderId: order.id });
    await recordChange(tx, await actorOf(tx), brief, brief.status, BriefStatus.ACCEPTED, note ?? `order ${order.number} placed`);
    return { designBrief: updated, userErrors: [] as UserError[] };
  });
}

export async function commentOnBrief(ctx: RequestContext, input: AddDesignBriefCommentInput): Promise<AddDesignBriefCommentPayload> {
  const errors = new UserErrors();
  const body = validate.text(errors, ["input", "body"], input.body, { max: 5000, label: "Comment" });
  const staff = ctx.principal?.kind === "user" && ctx.principal.role === UserRole.EXPORT_MANAGER;
  if (input.internal && !staff) errors.add(["input", "internal"], "Only the exporter's staff write internal notes", UserErrorCode.NOT_ALLOWED);
  if (errors.any || !body) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const id = idOfType(input.briefId, "DesignBrief");
    const brief = id ? await findBriefById(tx, id) : null;
    if (!brief) throw new Rejected(userError(["input", "briefId"], "No such design brief", UserErrorCode.NOT_FOUND));
    const row = await addComment(tx, await actorOf(tx), brief, body, input.internal);
    // A new message is news for anyone syncing the brief; the brief's own fields are unchanged,
    // so its version stays. An internal note is not news a distributor may have: a moved
    // updatedAt would show them, and their sync, that something happened out of their sight.
    if (!input.internal) await tx.db.update(DesignBrief, { id: brief.id }, { updatedAt: () => "now()" });
    return { comment: commentView(row), designBrief: await tx.db.findOneByOrFail(DesignBrief, { id: brief.id }), userErrors: [] as UserError[] };
  });
}
