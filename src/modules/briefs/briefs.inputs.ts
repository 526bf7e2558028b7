import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { MoneyInput } from "../../graphql/money";
import { DateTimeScalar, DecimalScalar, LocalDateScalar } from "../../graphql/scalars";
import { Payload, type UserError } from "../../graphql/user-error";
import { Category, Metal, Plating, PlatingInput, StoneInput } from "../catalog";
import { BriefStatus } from "./brief-state";
import { QuotePriceBasis } from "./quote-basis";
import { DesignBriefComment } from "./briefs.types";
import { DesignBrief } from "./design-brief.entity";

@InputType({ description: "Filters for the brief list; every given filter must match." })
export class DesignBriefFilter {
  @Field(() => [BriefStatus], { nullable: true, description: "Only briefs in one of these statuses." })
  status?: BriefStatus[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only briefs changed at or after this time." })
  updatedSince?: Date | null;

  @Field(() => String, { nullable: true, description: "Text contained in the reference, title or description, ignoring case." })
  search?: string | null;
}

@InputType({ description: "A reference picture or document." })
export class ReferenceImageInput {
  @Field(() => String, { description: "https link, up to 2000 characters." })
  url: string;

  @Field(() => String, { description: "Media type: image/jpeg, image/png, image/webp, image/gif, image/svg+xml or application/pdf." })
  contentType: string;
}

@InputType({ description: "A new design brief, saved as a draft." })
export class CreateDesignBriefInput {
  @Field(() => String, { description: "Title, up to 200 characters." })
  title: string;

  @Field(() => String, { defaultValue: "", description: "Description, up to 10000 characters." })
  description: string;

  @Field(() => Category, { description: "Kind of piece." })
  category: Category;

  @Field(() => Metal, { description: "Principal metal." })
  metal: Metal;

  @Field(() => Int, { nullable: true, description: "Fineness in ‰ allowed for the metal; omit for brass and stainless steel." })
  fineness?: number | null;

  @Field(() => Plating, { defaultValue: Plating.NONE, description: "Plating wanted." })
  plating: Plating;

  @Field(() => [StoneInput], { defaultValue: [], description: "Stones wanted, at most 20 lines." })
  stones: StoneInput[];

  @Field(() => MoneyInput, { nullable: true, description: "Target unit price, in the contract currency." })
  targetUnitPrice?: MoneyInput | null;

  @Field(() => Int, { description: "Units wanted, 1 to 100000." })
  quantity: number;

  @Field(() => LocalDateScalar, { nullable: true, description: "When the goods are wanted: today or later." })
  targetDate?: string | null;

  @Field(() => [ReferenceImageInput], { defaultValue: [], description: "At most 20 reference pictures or documents." })
  referenceImages: ReferenceImageInput[];
}

@InputType({ description: "Changes to a draft brief; fields left out stay as they are." })
export class UpdateDesignBriefInput {
  @Field(() => ID, { description: "The brief." })
  id: string;

  @Field(() => Int, { description: "The version you read; a stale one is refused with STALE_VERSION." })
  expectedVersion: number;

  @Field(() => String, { nullable: true, description: "Title, up to 200 characters." })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "Description, up to 10000 characters." })
  description?: string | null;

  @Field(() => Category, { nullable: true, description: "Kind of piece." })
  category?: Category | null;

  @Field(() => Metal, { nullable: true, description: "Principal metal (give the fineness with it)." })
  metal?: Metal | null;

  @Field(() => Int, { nullable: true, description: "Fineness in ‰." })
  fineness?: number | null;

  @Field(() => Plating, { nullable: true, description: "Plating wanted." })
  plating?: Plating | null;

  @Field(() => [StoneInput], { nullable: true, description: "Stones wanted; replaces the list." })
  stones?: StoneInput[] | null;

  @Field(() => MoneyInput, { nullable: true, description: "Target unit price, in the contract currency." })
  targetUnitPrice?: MoneyInput | null;

  @Field(() => Int, { nullable: true, description: "Units wanted." })
  quantity?: number | null;

  @Field(() => LocalDateScalar, { nullable: true, description: "When the goods are wanted." })
  targetDate?: string | null;

  @Field(() => [ReferenceImageInput], { nullable: true, description: "Reference pictures; replaces the list." })
  referenceImages?: ReferenceImageInput[] | null;
}

// Actions that only name the brief share one shape; each still gets its own input type, so the
// schema keeps one input per mutation.
function briefActionInput(name: string, description: string) {
  @InputType(name, { description })
  class BriefActionInput {
    @Field(() => ID, { description: "The brief." })
    id: string;

    @Field(() => Int, { description: "The version you read; a stale one is refused with STALE_VERSION." })
    expectedVersion: number;

    @Field(() => String, { nullable: true, description: "Optional note, up to 2000 characters; recorded in the status history." })
    note?: string | null;
  }
  return BriefActionInput;
}

export const SubmitDesignBriefInput = briefActionInput("SubmitDesignBriefInput", "Sends a draft brief to the exporter.");
export const WithdrawDesignBriefInput = briefActionInput("WithdrawDesignBriefInput", "Withdraws a brief before acceptance.");
export const StartDesignBriefReviewInput = briefActionInput("StartDesignBriefReviewInput", "Takes a submitted brief into review.");
export const AcceptDesignBriefQuoteInput = briefActionInput("AcceptDesignBriefQuoteInput", "Accepts the brief's valid quote, which places an order.");
export const DeclineDesignBriefQuoteInput = briefActionInput("DeclineDesignBriefQuoteInput", "Declines the brief's quote.");
export type DesignBriefActionInput = InstanceType<typeof SubmitDesignBriefInput>;

@InputType({ description: "Asks for another round after declining a quote." })
export class RequestDesignBriefRevisionInput {
  @Field(() => ID, { description: "The brief." })
  id: string;

  @Field(() => Int, { description: "The version you read." })
  expectedVersion: number;

  @Field(() => String, { description: "What should change, 1 to 5000 characters; posted to the thread." })
  comment: string;
}

@InputType({ description: "A lower unit price from a quantity on." })
export class QuantityBreakInput {
  @Field(() => Int, { description: "From this many units on, 2 to 100000." })
  minQuantity: number;

  @Field(() => DecimalScalar, { description: "Unit price, lower than the base price, in the quote's currency." })
  unitPrice: string;
}

@InputType({ description: "The exporter's quote for a brief." })
export class QuoteDesignBriefInput {
  @Field(() => ID, { description: "The brief." })
  id: string;

  @Field(() => Int, { description: "The version you read." })
  expectedVersion: number;

  @Field(() => MoneyInput, { description: "Unit price, in the distributor's contract currency." })
  unitPrice: MoneyInput;

  @Field(() => [QuantityBreakInput], { defaultValue: [], description: "Quantity breaks, at most 10." })
  quantityBreaks: QuantityBreakInput[];

  @Field(() => Int, { nullable: true, description: "Business days on the exporter's working calendar from acceptance to shipment, 1 to 730. Required unless `leadTimeDays` is given." })
  leadTimeBusinessDays?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Calendar days from acceptance to shipment, 1 to 730: quoted as the business days they hold from today. Give this or `leadTimeBusinessDays`, not both.",
    deprecationReason: "Lead times are business days on the exporter's calendar: give `leadTimeBusinessDays`.",
  })
  leadTimeDays?: number | null;

  @Field(() => LocalDateScalar, { nullable: true, description: "When a sample can be ready: today or later." })
  sampleDate?: string | null;

  @Field(() => LocalDateScalar, {
    description:
      "Last day the quote may be accepted: today or later; for a LOCKED price at most QUOTE_PRICE_LOCK_MAX_DAYS (7 by default) calendar days after today, for a SURCHARGE price within a year.",
  })
  validUntil: string;

  @Field(() => QuotePriceBasis, {
    defaultValue: QuotePriceBasis.LOCKED,
    description:
      "How the price follows the metal until acceptance: LOCKED (the default) holds it as quoted for a short validity; SURCHARGE adds, at acceptance, what the metal costs above today's fix (precious metals only). A piece in a precious metal is quoted on today's fix, which must be fresh (STALE_PRICE otherwise).",
  })
  priceBasis: QuotePriceBasis;

  @Field(() => String, { nullable: true, description: "Note for the buyer, up to 2000 characters." })
  note?: string | null;

  @Field(() => Metal, { description: "Principal metal the piece will be made in." })
  metal: Metal;

  @Field(() => Int, { nullable: true, description: "Fineness in ‰, a legal standard of the metal; omit for brass and stainless steel." })
  fineness?: number | null;

  @Field(() => DecimalScalar, {
    description: "Estimated metal weight of one piece in grams, more than 0 and at most 10000 (up to 3 decimals): what the order's customs declaration declares.",
  })
  metalWeightGrams: string;

  @Field(() => PlatingInput, { nullable: true, description: "Plating as it will be made (gold with its karat, and its thickness); none when omitted." })
  plating?: PlatingInput | null;

  @Field(() => [StoneInput], { description: "The stones of one piece, at most 20 lines; an empty list when it has none." })
  stones: StoneInput[];
}

@InputType({ description: "A message for a brief's thread." })
export class AddDesignBriefCommentInput {
  @Field(() => ID, { description: "The brief." })
  briefId: string;

  @Field(() => String, { description: "The message, 1 to 5000 characters." })
  body: string;

  @Field(() => Boolean, { defaultValue: false, description: "Staff only: an internal note distributors never see." })
  internal: boolean;
}

function briefPayload(name: string) {
  @ObjectType(`${name}Payload`, { simpleResolvers: true, description: `The result of \`${name[0].toLowerCase()}${name.slice(1)}\`.` })
  class BriefPayload extends Payload {
    @Field(() => DesignBrief, { nullable: true, description: "The brief as it is now." })
    designBrief?: DesignBrief | null;
  }
  return BriefPayload;
}

export const CreateDesignBriefPayload = briefPayload("CreateDesignBrief");
export const UpdateDesignBriefPayload = briefPayload("UpdateDesignBrief");
export const SubmitDesignBriefPayload = briefPayload("SubmitDesignBrief");
export const WithdrawDesignBriefPayload = briefPayload("WithdrawDesignBrief");
export const StartDesignBriefReviewPayload = briefPayload("StartDesignBriefReview");
export const QuoteDesignBriefPayload = briefPayload("QuoteDesignBrief");
export const AcceptDesignBriefQuotePayload = briefPayload("AcceptDesignBriefQuote");
export const DeclineDesignBriefQuotePayload = briefPayload("DeclineDesignBriefQuote");
export const RequestDesignBriefRevisionPayload = briefPayload("RequestDesignBriefRevision");
export interface DesignBriefPayload {
  designBrief?: DesignBrief | null;
  userErrors: UserError[];
}

@ObjectType({ simpleResolvers: true, description: "The result of `addDesignBriefComment`." })
export class AddDesignBriefCommentPayload extends Payload {
  @Field(() => DesignBriefComment, { nullable: true, description: "The new message." })
  comment?: DesignBriefComment | null;

  @Field(() => DesignBrief, { nullable: true, description: "The brief." })
  designBrief?: DesignBrief | null;
}
