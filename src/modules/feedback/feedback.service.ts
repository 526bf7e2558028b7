import { paginate, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { oneOf } from "../../db/rows";
import { loader } from "../../db/loaders";
import type { RequestContext } from "../../core/context";
import { idOfType, toGlobalId } from "../../graphql/node";
import { Rejected, UserErrorCode, UserErrors, userError, type UserError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { mutate } from "../../graphql/mutation";
import { tenantQuery } from "../../db/tenancy";
import { actorOf, User } from "../accounts";
import { recordEvents, type NewEvent } from "../events";
import { Shipment, ShipmentStatus } from "../shipments";
import { feedbackByShipment } from "./feedback.loaders";
import { ArrivalCondition, FeedbackIssue, ShipmentFeedback } from "./feedback.entity";
import type { RespondToFeedbackInput, ShipmentFeedbackFilter, SubmitShipmentFeedbackInput, UpdateShipmentFeedbackInput } from "./feedback.inputs";

export const EDIT_WINDOW_DAYS = 14;
// Physical damage cannot have arrived in perfect condition.
const DAMAGE: readonly FeedbackIssue[] = [FeedbackIssue.DAMAGED_PACKAGING, FeedbackIssue.DAMAGED_ITEM];

const NEWEST: Ordering<ShipmentFeedback> = { name: "newest", keys: [{ sql: "f.createdAt", direction: "DESC", value: (f) => f.createdAt }], id: "f.id" };

export function listFeedback(ctx: RequestContext, args: ConnectionArgs, filter: ShipmentFeedbackFilter | null | undefined): Promise<ConnectionResult<ShipmentFeedback>> {
  const qb = tenantQuery(ctx, ShipmentFeedback, "f");
  if (filter?.unanswered === true) qb.andWhere("f.response IS NULL");
  if (filter?.unanswered === false) qb.andWhere("f.response IS NOT NULL");
  if (filter?.condition?.length) qb.andWhere("f.condition = ANY(:conditions)", { conditions: filter.condition });
  return paginate(ctx.db, ShipmentFeedback, qb, args, NEWEST);
}

export function findFeedbackById(ctx: RequestContext, id: string): Promise<ShipmentFeedback | null> {
  return oneOf(ctx.db, ShipmentFeedback, tenantQuery(ctx, ShipmentFeedback, "f").andWhere("f.id = :id", { id }));
}

export const feedbackOf = (ctx: RequestContext, shipment: Shipment): Promise<ShipmentFeedback[]> => loader(ctx, feedbackByShipment).load(shipment.id);

interface Report {
  rating: number;
  condition: ArrivalCondition;
  issues: FeedbackIssue[];
  affectedLineNumbers: number[];
  comment: string | null;
}

function checkReport(errors: UserErrors, input: Omit<Report, "comment"> & { comment?: string | null }): Report {
  validate.integer(errors, ["input", "rating"], input.rating, { min: 1, max: 5, label: "Rating" });
  const issues = [...new Set(input.issues ?? [])];
  const contradicting = issues.filter((i) => DAMAGE.includes(i));
  if (input.condition === ArrivalCondition.PRISTINE && contradicting.length) {
    errors.add(["input", "issues"], `A PRISTINE arrival cannot have ${contradicting.join(" or ")}`, UserErrorCode.INVALID);
  }
  if (input.condition === ArrivalCondition.DAMAGED && !issues.some((i) => DAMAGE.includes(i))) {
    errors.add(["input", "issues"], "A DAMAGED arrival names what was damaged: DAMAGED_PACKAGING or DAMAGED_ITEM", UserErrorCode.REQUIRED);
  }
  const comment = input.comment != null && input.comment.trim() !== "" ? (validate.text(errors, ["input", "comment"], input.comment, { max: 2000, label: "Comment" }) ?? null) : null;
  if (issues.includes(FeedbackIssue.OTHER) && !comment) errors.add(["input", "comment"], "Say what the OTHER issue is", UserErrorCode.REQUIRED);
  return { rating: input.rating, condition: input.condition, issues, affectedLineNumbers: [...new Set(input.affectedLineNumbers ?? [])].sort((a, b) => a - b), comment };
}

async function checkLines(tx: RequestContext, shipment: Shipment, lines: number[]): Promise<void> {
  if (lines.length === 0) return;
  const rows = (await tx.db.query(
    `SELECT ol.line_number FROM shipment_lines sl JOIN order_lines ol ON ol.id = sl.order_line_id WHERE sl.shipment_id = $1`,
    [shipment.id],
  )) as { line_number: number }[];
  const inShipment = new Set(rows.map((r) => r.line_number));
  const foreign = lines.filter((n) => !inShipment.has(n));
  if (foreign.length) {
    throw new Rejected(userError(["input", "affectedLineNumbers"], `Line ${foreign.join(", ")} is not in this shipment`, UserErrorCode.INVALID));
  }
}

// Feedback is part of its shipment (`Shipment.feedback`): every change to it, the exporter's
// response included, moves the shipment's updatedAt so that a `shipments(filter: { updatedSince })`
// sync picks it up.
async function touchShipment(tx: RequestContext, shipmentId: string): Promise<void> {
  await tx.db.update(Shipment, { id: shipmentId }, { updatedAt: () => "now()" });
}

function feedbackEvent(type: NewEvent["type"], feedback: Pick<ShipmentFeedback, "id" | "shipmentId" | "distributorId">, changed: Record<string, unknown>): NewEvent {
  return {
    type,
    distributorId: feedback.distributorId,
    subjectId: feedback.shipmentId,
    data: { feedbackId: toGlobalId("ShipmentFeedback", feedback.id), shipmentId: toGlobalId("Shipment", feedback.shipmentId), ...changed },
  };
}

export async function submitFeedback(ctx: RequestContext, input: SubmitShipmentFeedbackInput) {
  const errors = new UserErrors();
  const report = checkReport(errors, input);
  if (errors.any) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const id = idOfType(input.shipmentId, "Shipment");
    const shipment = id ? await tenantQuery(tx, Shipment, "s").andWhere("s.id = :id", { id }).getOne() : null;
    if (!shipment) throw new Rejected(userError(["input", "shipmentId"], "No such shipment", UserErrorCode.NOT_FOUND));
    if (shipment.status !== ShipmentStatus.DELIVERED) {
      throw new Rejected(userError(["input", "shipmentId"], `Feedback is for delivered shipments; this one is ${shipment.status}`, UserErrorCode.INVALID_STATE));
    }
    await checkLines(tx, shipment, report.affectedLineNumbers);
    const actor = await actorOf(tx);
    const { identifiers } = await tx.db.insert(ShipmentFeedback, {
      shipmentId: shipment.id,
      distributorId: shipment.distributorId,
      authorUserId: actor.userId,
      authorApiClientId: actor.apiClientId,
      authorName: actor.name,
      ...report,
    });
    await touchShipment(tx, shipment.id);
    const feedback = await tx.db.findOneByOrFail(ShipmentFeedback, { id: identifiers[0].id as string });
    await recordEvents(tx, [feedbackEvent("feedback.submitted", feedback, { rating: feedback.rating, condition: feedback.condition, issues: feedback.issues })]);
    return { feedback, userErrors: [] as UserError[] };
  }, { unique: { shipment_feedback_author_key: { field: ["input", "shipmentId"], message: "You already reported on this shipment; edit that report instead" } } });
}

export async function updateFeedback(ctx: RequestContext, input: UpdateShipmentFeedbackInput) {
  const errors = new UserErrors();
  const report = checkReport(errors, input);
  if (errors.any) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const id = idOfType(input.id, "ShipmentFeedback");
    const p = tx.principal!;
    const feedback = id ? await findFeedbackById(tx, id) : null;
    // Only its author edits a report; anyone else's reads as missing.
    const mine = feedback && (p.kind === "user" ? feedback.authorUserId === p.id : feedback.authorApiClientId === p.id);
    if (!feedback || !mine) throw new Rejected(userError(["input", "id"], "No such feedback of yours", UserErrorCode.NOT_FOUND));
    if (Date.now() - feedback.createdAt.getTime() > EDIT_WINDOW_DAYS * 86_400_000) {
      throw new Rejected(userError(["input", "id"], `Feedback can be edited for ${EDIT_WINDOW_DAYS} days after it is submitted`, UserErrorCode.INVALID_STATE));
    }
    const shipment = await tx.db.findOneByOrFail(Shipment, { id: feedback.shipmentId });
    await checkLines(tx, shipment, report.affectedLineNumbers);
    await tx.db.update(ShipmentFeedback, { id: feedback.id }, { ...report, updatedAt: () => "now()" });
    await touchShipment(tx, feedback.shipmentId);
    await recordEvents(tx, [feedbackEvent("feedback.updated", feedback, { rating: report.rating, condition: report.condition, issues: report.issues })]);
    return { feedback: await tx.db.findOneByOrFail(ShipmentFeedback, { id: feedback.id }), userErrors: [] as UserError[] };
  });
}

export async function respondToFeedback(ctx: RequestContext, input: RespondToFeedbackInput) {
  const errors = new UserErrors();
  const response = validate.text(errors, ["input", "response"], input.response, { max: 2000, label: "Response" });
  if (errors.any || !response) return { userErrors: errors.list };
  return mutate(ctx, async (tx) => {
    const id = idOfType(input.id, "ShipmentFeedback");
    const feedback = id ? await findFeedbackById(tx, id) : null;
    if (!feedback) throw new Rejected(userError(["input", "id"], "No such feedback", UserErrorCode.NOT_FOUND));
    const staff = await tx.db.findOneByOrFail(User, { id: tx.principal!.id });
    await tx.db.update(ShipmentFeedback, { id: feedback.id }, {
      response,
      respondedByUserId: staff.id,
      respondedByName: staff.name,
      respondedAt: () => "now()",
      updatedAt: () => "now()",
    });
    await touchShipment(tx, feedback.shipmentId);
    await recordEvents(tx, [feedbackEvent("feedback.answered", feedback, { respondedBy: staff.name })]);
    return { feedback: await tx.db.findOneByOrFail(ShipmentFeedback, { id: feedback.id }), userErrors: [] as UserError[] };
  });
}
