import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { Money } from "../../graphql/money";
import { CurrencyCode, DecimalScalar, LocalDateScalar } from "../../graphql/scalars";
import { Payload } from "../../graphql/user-error";
import { AppliedExchangeRate } from "../pricing";
import { ArrivalCondition, FeedbackIssue, ShipmentFeedback } from "./feedback.entity";

export const ShipmentFeedbackConnection = Connection(ShipmentFeedback);

@InputType({ description: "Filters for the feedback list." })
export class ShipmentFeedbackFilter {
  @Field(() => Boolean, { nullable: true, description: "True: only feedback without a response; false: only answered." })
  unanswered?: boolean | null;

  @Field(() => [ArrivalCondition], { nullable: true, description: "Only these conditions." })
  condition?: ArrivalCondition[] | null;
}

@InputType({ description: "How a delivered shipment arrived." })
export class SubmitShipmentFeedbackInput {
  @Field(() => ID, { description: "The shipment; it must be delivered." })
  shipmentId: string;

  @Field(() => Int, { description: "1 (poor) to 5 (excellent)." })
  rating: number;

  @Field(() => ArrivalCondition, { description: "How it arrived." })
  condition: ArrivalCondition;

  @Field(() => [FeedbackIssue], { defaultValue: [], description: "Problems found; none may contradict the condition (PRISTINE with damage)." })
  issues: FeedbackIssue[];

  @Field(() => [Int], { defaultValue: [], description: "Order line numbers affected; each must be in the shipment." })
  affectedLineNumbers: number[];

  @Field(() => String, { nullable: true, description: "Comment, up to 2000 characters." })
  comment?: string | null;
}

@InputType({ description: "Changes to your feedback, within 14 days of submitting it. Everything is replaced." })
export class UpdateShipmentFeedbackInput {
  @Field(() => ID, { description: "The feedback." })
  id: string;

  @Field(() => Int, { description: "1 (poor) to 5 (excellent)." })
  rating: number;

  @Field(() => ArrivalCondition, { description: "How it arrived." })
  condition: ArrivalCondition;

  @Field(() => [FeedbackIssue], { defaultValue: [], description: "Problems found." })
  issues: FeedbackIssue[];

  @Field(() => [Int], { defaultValue: [], description: "Order line numbers affected." })
  affectedLineNumbers: number[];

  @Field(() => String, { nullable: true, description: "Comment, up to 2000 characters." })
  comment?: string | null;
}

@InputType({ description: "The exporter's response to feedback." })
export class RespondToFeedbackInput {
  @Field(() => ID, { description: "The feedback." })
  id: string;

  @Field(() => String, { description: "Response, 1 to 2000 characters; replaces an earlier one." })
  response: string;
}

function feedbackPayload(name: string) {
  @ObjectType(`${name}Payload`, { simpleResolvers: true, description: `The result of \`${name[0].toLowerCase()}${name.slice(1)}\`.` })
  class FeedbackPayload extends Payload {
    @Field(() => ShipmentFeedback, { nullable: true, description: "The feedback as it is now." })
    feedback?: ShipmentFeedback | null;
  }
  return FeedbackPayload;
}

export const SubmitShipmentFeedbackPayload = feedbackPayload("SubmitShipmentFeedback");
export const UpdateShipmentFeedbackPayload = feedbackPayload("UpdateShipmentFeedback");
export const RespondToFeedbackPayload = feedbackPayload("RespondToFeedback");

@ObjectType({ simpleResolvers: true, description: "How often an issue was reported." })
export class IssueCount {
  @Field(() => FeedbackIssue, { description: "The issue." })
  issue: FeedbackIssue;

  @Field(() => Int, { description: "Feedback reports naming it." })
  count: number;
}

@ObjectType({ simpleResolvers: true, description: "Export performance over a range of days (UTC), computed from shipments, orders and feedback." })
export class ExportKpis {
  @Field(() => LocalDateScalar, { description: "First day, inclusive." })
  from: string;

  @Field(() => LocalDateScalar, { description: "Last day, inclusive." })
  to: string;

  @Field(() => Int, { description: "Shipments delivered in the range." })
  shipmentsDelivered: number;

  @Field(() => DecimalScalar, { description: "Share (0 to 1), 4 decimals, of the shipments delivered in the range by the ETA known when they were handed over; shipments handed over without an ETA are left out; 0 without any." })
  onTimeDeliveryRate: string;

  @Field(() => DecimalScalar, { description: "Average days, 2 decimals, from order placement to handover, over the shipments handed over in the range; 0 without any." })
  averageOrderToShipDays: string;

  @Field(() => DecimalScalar, { description: "Share (0 to 1), 4 decimals, of the orders whose last line was handed over in the range that shipped (by UTC day) on or before the ship date promised at placement; 0 without any." })
  leadTimePromiseKeptRate: string;

  @Field(() => DecimalScalar, { description: "Average whole days, 2 decimals, by which those orders shipped after their promised ship date (negative: early); 0 without any." })
  averageShipDelayDays: string;

  @Field(() => DecimalScalar, { description: "Average rating, 2 decimals, of the feedback submitted in the range; 0 without feedback." })
  averageRating: string;

  @Field(() => Int, { description: "Feedback reports submitted in the range." })
  feedbackCount: number;

  @Field(() => [IssueCount], { description: "Reports submitted in the range per issue kind, every kind listed." })
  issueCounts: IssueCount[];

  @Field(() => DecimalScalar, { description: "Share (0 to 1), 4 decimals, of the shipments delivered in the range on which any report names DOCUMENTATION_ERROR; 0 without deliveries." })
  documentationErrorShare: string;

  @Field(() => [Money], { description: "Invoice value of the shipments handed over in the range, per currency (never converted); empty without any." })
  shippedValue: Money[];

  @Field(() => CurrencyCode, { description: "The currency the converted totals are in (BASE_CURRENCY, USD by default)." })
  baseCurrency: CurrencyCode;

  @Field(() => Money, {
    nullable: true,
    description:
      "`shippedValue` added up in `baseCurrency`: each currency's total times its rate in `ratesUsed`, added exactly and rounded once, half to even. Null when a rate is missing (see `missingRates`).",
  })
  shippedValueInBaseCurrency: Money | null;

  @Field(() => [AppliedExchangeRate], { description: "The rates the converted totals used: for each currency shipped other than `baseCurrency`, the latest recorded at or before the end of `to` (UTC)." })
  ratesUsed: AppliedExchangeRate[];

  @Field(() => [CurrencyCode], { description: "Currencies shipped with no rate to `baseCurrency` recorded (either way round) by the end of `to`: the converted totals leave nothing out silently, they are null instead." })
  missingRates: CurrencyCode[];
}
