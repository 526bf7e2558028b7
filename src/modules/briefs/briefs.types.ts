import { Field, Int, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { Money } from "../../graphql/money";
import { Composition } from "../catalog";
import { DateTimeScalar, LocalDateScalar } from "../../graphql/scalars";
import { BriefStatus } from "./brief-state";
import { DesignBrief } from "./design-brief.entity";

export const DesignBriefConnection = Connection(DesignBrief);

@ObjectType({ simpleResolvers: true, description: "A picture or document that shows what the buyer has in mind." })
export class ReferenceImage {
  @Field(() => String, { description: "https link." })
  url: string;

  @Field(() => String, { description: "Media type, e.g. image/jpeg or application/pdf." })
  contentType: string;
}

@ObjectType({ simpleResolvers: true, description: "A lower unit price from a quantity on." })
export class QuantityBreak {
  @Field(() => Int, { description: "From this many units on…" })
  minQuantity: number;

  @Field(() => Money, { description: "…this unit price applies." })
  unitPrice: Money;
}

@ObjectType({ simpleResolvers: true, description: "The exporter's quote for a brief." })
export class DesignBriefQuote {
  @Field(() => Money, { description: "Unit price for the brief's quantity, before breaks." })
  unitPrice: Money;

  @Field(() => [QuantityBreak], { description: "Lower prices for larger quantities, by ascending quantity." })
  quantityBreaks: QuantityBreak[];

  @Field(() => Money, { description: "The unit price that applies to the brief's quantity, breaks considered." })
  applicableUnitPrice: Money;

  @Field(() => Int, { description: "Business days on the exporter's working calendar (see `workingCalendar` and `holidays`) from acceptance to shipment." })
  leadTimeBusinessDays: number;

  @Field(() => Int, {
    description: "Calendar days from acceptance to shipment, as of the day of the quote.",
    deprecationReason: "Lead times are business days on the exporter's calendar: use `leadTimeBusinessDays`.",
  })
  leadTimeDays: number;

  @Field(() => LocalDateScalar, { nullable: true, description: "When a sample can be ready." })
  sampleDate: string | null;

  @Field(() => LocalDateScalar, { description: "Last day on which the quote can be accepted." })
  validUntil: string;

  @Field(() => Boolean, { description: "True once `validUntil` has passed." })
  expired: boolean;

  @Field(() => String, { nullable: true, description: "The exporter's note on the quote." })
  note: string | null;

  @Field(() => Composition, { description: "What one piece will be made of, as quoted: the order placed on acceptance declares this." })
  composition: Composition;

  @Field(() => DateTimeScalar, { description: "When the quote was given." })
  quotedAt: Date;
}

@ObjectType({ simpleResolvers: true, description: "A message in a brief's thread." })
export class DesignBriefComment {
  @Field(() => String, { description: "Who wrote it." })
  author: string;

  @Field(() => Boolean, { description: "True when written by the exporter's staff." })
  fromExporter: boolean;

  @Field(() => String, { description: "The message." })
  body: string;

  @Field(() => Boolean, { description: "True for an internal staff note; distributors never see these." })
  internal: boolean;

  @Field(() => DateTimeScalar, { description: "When it was written." })
  createdAt: Date;

  id: string;
  seq: string;
}

export const DesignBriefCommentConnection = Connection(DesignBriefComment);

@ObjectType({ simpleResolvers: true, description: "A change of a brief's status." })
export class DesignBriefStatusChange {
  @Field(() => BriefStatus, { nullable: true, description: "Status before; null for the creation." })
  from: BriefStatus | null;

  @Field(() => BriefStatus, { description: "Status after." })
  to: BriefStatus;

  @Field(() => DateTimeScalar, { description: "When." })
  at: Date;

  @Field(() => String, { description: "Who." })
  by: string;

  @Field(() => String, { nullable: true, description: "Note given with the change." })
  note: string | null;
}
