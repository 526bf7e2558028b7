import { Field, Int, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { Money } from "../../graphql/money";
import { Composition, Metal } from "../catalog";
import { DateTimeScalar, DecimalScalar, LocalDateScalar } from "../../graphql/scalars";
import { BriefStatus } from "./brief-state";
import { QuotePriceBasis } from "./quote-basis";
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

@ObjectType({
  simpleResolvers: true,
  description:
    "What a quoted price assumes of the metal market: the piece's metal, the fix (and exchange rate) the price rests on, and whether the price is locked until `validUntil` or follows the metal with a surcharge.",
})
export class DesignBriefQuoteMetalBasis {
  @Field(() => Metal, { description: "The piece's principal metal, as quoted." })
  metal: Metal;

  @Field(() => Int, { nullable: true, description: "Its fineness in parts per thousand; null for brass and stainless steel." })
  fineness: number | null;

  @Field(() => DecimalScalar, { description: "The estimated metal weight of one piece in grams, as quoted." })
  estimatedMetalWeightGrams: string;

  @Field(() => QuotePriceBasis, { description: "LOCKED: the price holds until `lockedUntil`; SURCHARGE: accepted, the price follows the metal above `fixUsed`." })
  priceBasis: QuotePriceBasis;

  @Field(() => LocalDateScalar, { nullable: true, description: "For a LOCKED quote, the last day its price holds (its `validUntil`); null for a SURCHARGE quote." })
  lockedUntil: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Units of the quote's currency per US dollar when the quote was given, which turned `fixUsed` into the currency (1 for US dollars); null when no fix was used.",
  })
  usdRate: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "Units of the quote's currency per US dollar on the day a SURCHARGE quote was accepted; null until then." })
  usdRateAtAcceptance: string | null;

  @Field(() => Money, { nullable: true, description: "The metal surcharge per piece added to the quoted price when a SURCHARGE quote was accepted (zero when the metal was not dearer); null until then." })
  surchargeAtAcceptance: Money | null;

  /** The metal_prices rows behind `fixUsed` and `fixAtAcceptance`. */
  fixId: string | null;
  acceptedFixId: string | null;
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

  @Field(() => DesignBriefQuoteMetalBasis, {
    nullable: true,
    description: "What the price assumes of the metal market, and whether it is locked or surcharged; null for a quote given before quotes stated one (its basis is not stated).",
  })
  metalBasis: DesignBriefQuoteMetalBasis | null;
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
