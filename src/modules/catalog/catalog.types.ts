import { Field, Int, ObjectType } from "type-graphql";
import { DateTimeScalar, DecimalScalar, LocalDateScalar } from "../../graphql/scalars";
import { Connection } from "../../graphql/connection";
import { Money } from "../../graphql/money";
import {
  AvailabilityStatus,
  Metal,
  Plating,
  PlatingDesignation,
  ProductionSource,
  RjcCertificationType,
  StoneOrigin,
  StoneShape,
  StoneType,
  Treatment,
} from "./catalog.enums";
import { Product } from "./product.entity";
import { Variant } from "./variant.entity";

export const ProductConnection = Connection(Product);
export const VariantConnection = Connection(Variant);

@ObjectType({ simpleResolvers: true, description: "A treatment of a stone and whether it lasts." })
export class StoneTreatment {
  @Field(() => Treatment, { description: "The treatment." })
  treatment: Treatment;

  @Field(() => Boolean, { description: "False when the treatment does not last or needs special care; buyers must be told." })
  permanent: boolean;
}

@ObjectType({ simpleResolvers: true, description: "Stones of one kind set in a piece." })
export class Stone {
  @Field(() => StoneType, { description: "Species or material." })
  type: StoneType;

  @Field(() => StoneShape, { description: "Cut or shape." })
  shape: StoneShape;

  @Field(() => Int, { description: "Number of stones." })
  count: number;

  @Field(() => DecimalScalar, { description: "Total carat weight of these stones (1 ct = 0.2 g)." })
  totalCarat: string;

  @Field(() => StoneOrigin, { description: "Natural, lab-grown or simulant." })
  origin: StoneOrigin;

  @Field(() => [StoneTreatment], { description: "Treatments to disclose; empty when untreated." })
  treatments: StoneTreatment[];

  @Field(() => String, {
    description: 'Name to show, with "lab-grown", "cultured" or "simulated" immediately before the stone name where it applies; a name alone is a natural stone.',
  })
  displayName: string;

  @Field(() => String, { description: 'The name with its treatments disclosed, as line descriptions and invoices carry it, e.g. "heated sapphire".' })
  disclosedName: string;
}

@ObjectType({ simpleResolvers: true, description: "Surface plating of a piece, and what it may be called." })
export class PlatingSpec {
  @Field(() => Plating, { description: "Plating metal, or NONE." })
  type: Plating;

  @Field(() => Int, { nullable: true, description: "Karat of a gold plating; null for other platings." })
  karat: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: "Plating thickness in microns; null without plating." })
  thicknessMicrons: string | null;

  @Field(() => PlatingDesignation, {
    nullable: true,
    description: "What the plating may be called over this piece's metal (FTC thresholds); null without plating, or when its karat or thickness was never recorded.",
  })
  designation: PlatingDesignation | null;
}

@ObjectType({ simpleResolvers: true, description: "What one piece is made of: metal, plating and stones, as declared on invoices and in customs." })
export class Composition {
  @Field(() => Metal, { description: "Principal metal." })
  metal: Metal;

  @Field(() => Int, { nullable: true, description: "Fineness in parts per thousand; null for base metals." })
  fineness: number | null;

  @Field(() => Int, { nullable: true, description: "Gold karat from the trade table; null for other metals and for gold 990." })
  karat: number | null;

  @Field(() => String, { description: 'The metal as it may be named, with its plating, e.g. "14K gold electroplated brass" or "18K gold vermeil".' })
  metalName: string;

  @Field(() => PlatingSpec, { description: "Plating." })
  plating: PlatingSpec;

  @Field(() => DecimalScalar, { nullable: true, description: "Metal weight of one piece in grams; null only for lines placed before it was recorded." })
  metalWeightGrams: string | null;

  @Field(() => [Stone], { description: "The stones of one piece, with origin and treatments disclosed." })
  stones: Stone[];

  @Field(() => Boolean, { description: "True when a piece holds natural diamonds, so that its invoice carries the System of Warranties statement." })
  containsNaturalDiamonds: boolean;
}

@ObjectType({ simpleResolvers: true, description: "A Responsible Jewellery Council certification covering the piece." })
export class RjcCertification {
  @Field(() => RjcCertificationType, { description: "Code of Practices or Chain of Custody." })
  type: RjcCertificationType;

  @Field(() => String, { description: "Certificate number." })
  certificateNumber: string;
}

@ObjectType({ simpleResolvers: true, description: "Responsible-sourcing facts B2B clients ask about." })
export class Provenance {
  @Field(() => DecimalScalar, { nullable: true, description: "Share of recycled metal, in percent." })
  recycledMetalPercent: string | null;

  @Field(() => RjcCertification, { nullable: true, description: "RJC certification, if any." })
  rjcCertification: RjcCertification | null;

  @Field(() => Boolean, { description: "True when the piece contains natural (mined) diamonds." })
  containsNaturalDiamonds: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The WDC System of Warranties statement (Kimberley Process) that invoices carry for natural diamonds; null otherwise.",
  })
  systemOfWarrantiesStatement: string | null;
}

@ObjectType({ simpleResolvers: true, description: "What a buyer may ask to change when ordering the style." })
export class CustomizationOptions {
  @Field(() => Boolean, { description: "Sizes other than the standard variants can be made." })
  customSizes: boolean;

  @Field(() => [Plating], { description: "Platings that can be asked for instead of the standard one." })
  platings: Plating[];

  @Field(() => [PlatingSpec], { description: "The platings offered, each as it is made (karat, thickness) and what it may be called over this style's metal." })
  platingOffers: PlatingSpec[];

  @Field(() => [StoneType], { description: "Stones that can be set instead of the standard ones." })
  stones: StoneType[];

  @Field(() => [Stone], { description: "The stones offered, each as it is set instead of the style's principal stones (or added, on a style without stones)." })
  stoneOffers: Stone[];

  @Field(() => Boolean, { description: "The distributor's branding (logo or hallmark stamp) can be applied." })
  branding: boolean;

  @Field(() => Int, { description: "Longest engraving offered, in characters; 0 when engraving is not offered." })
  engravingMaxLength: number;
}

@ObjectType({ simpleResolvers: true, description: "A product image." })
export class ProductImage {
  @Field(() => String, { description: "https URL of the image." })
  url: string;

  @Field(() => String, { description: "Text alternative for people who cannot see it." })
  altText: string;
}

@ObjectType({ simpleResolvers: true, description: "Harmonized System tariff code." })
export class HsCode {
  @Field(() => String, { description: "Digits only: 6 (international), 8 (EU CN) or 10 (US HTS)." })
  digits: string;

  @Field(() => String, { description: "Dotted form, e.g. 7113.19." })
  formatted: string;
}

@ObjectType({ simpleResolvers: true, description: "A scheduled production batch that will add to stock." })
export class IncomingBatch {
  @Field(() => Int, { description: "Units the batch will produce." })
  quantity: number;

  @Field(() => Int, { description: "Units of it not yet promised to orders." })
  unallocated: number;

  @Field(() => LocalDateScalar, { description: "When the batch is expected to be ready." })
  readyDate: string;

  @Field(() => String, { description: "What the batch is, e.g. casting run." })
  description: string;
}

@ObjectType({ simpleResolvers: true, description: "How many units can be had now and soon." })
export class Availability {
  @Field(() => Int, { description: "Units on the shelf." })
  onHand: number;

  @Field(() => Int, { description: "Units on the shelf already promised to orders." })
  reserved: number;

  @Field(() => Int, { description: "On hand minus reserved: what can be ordered from stock now." })
  available: number;

  @Field(() => AvailabilityStatus, { description: "Summary status." })
  status: AvailabilityStatus;

  @Field(() => [IncomingBatch], { description: "Scheduled production batches, soonest first." })
  incoming: IncomingBatch[];

  @Field(() => Int, {
    description: "Standard lead time of a new production run, in business days on the exporter's working calendar (its weekly days off and `holidays` do not count).",
  })
  leadTimeDays: number;
}

@ObjectType({ simpleResolvers: true, description: "A part of a lead-time quote: units from one source, ready on one date." })
export class LeadTimeAllocation {
  @Field(() => ProductionSource, { description: "Stock, a scheduled batch, or a new run." })
  source: ProductionSource;

  @Field(() => Int, { description: "Units from this source." })
  quantity: number;

  @Field(() => LocalDateScalar, { description: "When these units are ready." })
  readyDate: string;

  @Field(() => String, { description: "The stock or batch they come from." })
  description: string;
}

@ObjectType({ simpleResolvers: true, description: "When a quantity of a variant could ship, if ordered now. A quote reserves nothing." })
export class LeadTimeQuote {
  @Field(() => Variant, { description: "The variant quoted." })
  variant: Variant;

  @Field(() => Int, { description: "Units quoted." })
  quantity: number;

  @Field(() => Int, { description: "Units that ship from stock." })
  fromStock: number;

  @Field(() => Int, { description: "Units that must be produced." })
  toProduce: number;

  @Field(() => [LeadTimeAllocation], { description: "Where each part comes from, stock first." })
  allocations: LeadTimeAllocation[];

  @Field(() => LocalDateScalar, {
    description: "Estimated ship date: when the last part is ready, plus two business days for QC and packing, on the exporter's working calendar.",
  })
  estimatedShipDate: string;

  @Field(() => Int, { description: "Business days on the exporter's working calendar from its today to the estimated ship date: the lead time." })
  leadTimeBusinessDays: number;

  @Field(() => Int, {
    description: "Calendar days from the exporter's today to the estimated ship date.",
    deprecationReason: "Lead times are business days on the exporter's calendar: use `leadTimeBusinessDays`.",
  })
  leadTimeDays: number;

  @Field(() => String, { description: 'One line a buyer can read, e.g. "3 from stock, 47 made to order: casting run ready 2026-12-14; ships 2026-12-16".' })
  basis: string;

  @Field(() => DateTimeScalar, { description: "When the quote was computed." })
  quotedAt: Date;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "A quantity break of a style in a distributor's price list: from `minQuantity` units of the style on one order (its sizes and lengths counted together), each of its variants costs `unitPrice`, unless the variant's own price is lower.",
})
export class StyleQuantityBreak {
  @Field(() => Int, { description: "From this many units of the style on one order, at least 2…" })
  minQuantity: number;

  @Field(() => Money, { description: "…this unit price applies, in the price list's currency." })
  unitPrice: Money;
}
