import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { Money } from "../../graphql/money";
import { CountryCode, CurrencyCode, DateTimeScalar, DecimalScalar, LocalDateScalar } from "../../graphql/scalars";
import { Payload } from "../../graphql/user-error";
import {
  AvailabilityStatus,
  Category,
  Metal,
  Plating,
  RjcCertificationType,
  StoneOrigin,
  StoneShape,
  StoneType,
  Treatment,
} from "./catalog.enums";
import { StyleQuantityBreak } from "./catalog.types";
import { Product } from "./product.entity";
import { Variant } from "./variant.entity";

@InputType({ description: "Filters for the product list. Every given filter must match; a list filter matches any of its values." })
export class ProductFilter {
  @Field(() => [Category], { nullable: true, description: "Only these categories." })
  categories?: Category[] | null;

  @Field(() => String, { nullable: true, description: "Only this collection (exact name)." })
  collection?: string | null;

  @Field(() => [Metal], { nullable: true, description: "Only these metals." })
  metals?: Metal[] | null;

  @Field(() => [Int], { nullable: true, description: "Only these finenesses, in parts per thousand (e.g. [585, 750])." })
  fineness?: number[] | null;

  @Field(() => [Plating], { nullable: true, description: "Only these platings." })
  platings?: Plating[] | null;

  @Field(() => [StoneType], { nullable: true, description: "Only pieces set with at least one of these stones." })
  stoneTypes?: StoneType[] | null;

  @Field(() => StoneOrigin, { nullable: true, description: "Only pieces with a stone of this origin (of the given stone types, if any)." })
  stoneOrigin?: StoneOrigin | null;

  @Field(() => [AvailabilityStatus], { nullable: true, description: "Only products whose availability is one of these." })
  availability?: AvailabilityStatus[] | null;

  @Field(() => String, { nullable: true, description: "Text contained in the style code, name or a SKU, ignoring case." })
  search?: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "Only products of which something you see changed at or after this time (`changedAt`): the style, its variants, their prices in your price list (staff: in any), their stock and production batches. For incremental sync; implies `orderBy: UPDATED` unless another order is given.",
  })
  updatedSince?: Date | null;
}

@InputType({ description: "Filters for the variant list; every given filter must match." })
export class VariantFilter {
  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "Only variants of which something you see changed at or after this time (`changedAt`): the variant, its style, its price in your price list (staff: in any), its stock and production batches.",
  })
  updatedSince?: Date | null;

  @Field(() => [String], { nullable: true, description: "Only these SKUs, any case; at most 100." })
  skus?: string[] | null;
}

@InputType({ description: "Stones of one kind in a piece." })
export class StoneInput {
  @Field(() => StoneType, { description: "Species or material." })
  type: StoneType;

  @Field(() => StoneShape, { description: "Cut or shape." })
  shape: StoneShape;

  @Field(() => Int, { description: "Number of stones, 1 to 10000." })
  count: number;

  @Field(() => DecimalScalar, { description: "Total carat weight, greater than 0, up to 3 decimals." })
  totalCarat: string;

  @Field(() => StoneOrigin, {
    description: "Natural, lab-grown, cultured (pearls only) or simulant. Cubic zirconia is always SIMULANT; a pearl is never LAB_GROWN.",
  })
  origin: StoneOrigin;

  @Field(() => [Treatment], { defaultValue: [], description: "Treatments to disclose; empty or omitted when untreated. They are named in descriptions and invoices." })
  treatments: Treatment[];
}

@InputType({ description: "A plating as it is made." })
export class PlatingInput {
  @Field(() => Plating, { description: "Plating metal, or NONE." })
  type: Plating;

  @Field(() => Int, { nullable: true, description: "Karat of a gold plating, 10 to 24: required with YELLOW_GOLD and ROSE_GOLD, omitted otherwise." })
  karat?: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: "Thickness in microns, more than 0 and at most 50 (up to 3 decimals): required with a plating, omitted with NONE." })
  thicknessMicrons?: string | null;
}

@InputType({ description: "An RJC certification." })
export class RjcCertificationInput {
  @Field(() => RjcCertificationType, { description: "COP or COC." })
  type: RjcCertificationType;

  @Field(() => String, { description: "Certificate number, up to 60 characters." })
  certificateNumber: string;
}

@InputType({ description: "A product image." })
export class ProductImageInput {
  @Field(() => String, { description: "https URL, up to 2000 characters." })
  url: string;

  @Field(() => String, { description: "Text alternative, up to 300 characters." })
  altText: string;
}

@InputType({ description: "What buyers may ask to change when ordering a style." })
export class CustomizationOptionsInput {
  @Field(() => Boolean, { defaultValue: false, description: "Sizes other than the standard variants can be made." })
  customSizes: boolean;

  @Field(() => [PlatingInput], { defaultValue: [], description: "Platings offered instead of the standard one, each as it is made; one per type, at most 5." })
  platingOffers: PlatingInput[];

  @Field(() => [StoneInput], {
    defaultValue: [],
    description: "Stones offered, each as it is set instead of the style's first stone line (or added, on a style without stones); one per stone type, at most 15.",
  })
  stoneOffers: StoneInput[];

  @Field(() => Boolean, { defaultValue: false, description: "The distributor's branding can be applied." })
  branding: boolean;

  @Field(() => Int, { defaultValue: 0, description: "Longest engraving offered, 0 to 200 characters; 0 for none." })
  engravingMaxLength: number;
}

@InputType({ description: "A style, created or replaced whole by its style code." })
export class UpsertProductInput {
  @Field(() => String, { description: "Style code: letters, digits and dashes, up to 40 characters; stored in upper case." })
  styleCode: string;

  @Field(() => String, { description: "Name, up to 200 characters." })
  name: string;

  @Field(() => String, { defaultValue: "", description: "Description, up to 5000 characters." })
  description: string;

  @Field(() => Category, { description: "Kind of piece." })
  category: Category;

  @Field(() => String, { nullable: true, description: "Collection, up to 100 characters." })
  collection?: string | null;

  @Field(() => Metal, { description: "Principal metal." })
  metal: Metal;

  @Field(() => Int, { nullable: true, description: "Fineness in ‰, a legal standard of the metal (gold 375, 585, 750, 916, 990, 999; silver 800, 900, 925, 958, 999; platinum 850, 900, 950, 999; palladium 500, 950, 999); omit for brass and stainless steel." })
  fineness?: number | null;

  @Field(() => Plating, { defaultValue: Plating.NONE, description: "Plating; NONE by default." })
  plating: Plating;

  @Field(() => DecimalScalar, { nullable: true, description: "Plating thickness in microns (up to 3 decimals); required with plating, omitted without." })
  platingThicknessMicrons?: string | null;

  @Field(() => Int, { nullable: true, description: "Karat of a gold plating, 10 to 24: required with YELLOW_GOLD and ROSE_GOLD, omitted otherwise." })
  platingKarat?: number | null;

  @Field(() => [StoneInput], { defaultValue: [], description: "Stones, at most 20 lines." })
  stones: StoneInput[];

  @Field(() => String, {
    description: "HS code of 6, 8 or 10 digits, dots allowed (e.g. 7113.19): its first six an HS 2022 subheading of chapter 71 that fits the metal and kind (silver 7113.11; gold, platinum, palladium 7113.19; base metal 7117.19, 7117.11 for cuff links, or 7113.20 when clad).",
  })
  hsCode: string;

  @Field(() => CountryCode, { description: "Country of origin." })
  countryOfOrigin: CountryCode;

  @Field(() => Int, { description: "Business days of a new production run on the exporter's working calendar, 0 to 365." })
  standardLeadTimeDays: number;

  @Field(() => Int, { defaultValue: 1, description: "Minimum order quantity per variant, 1 to 10000." })
  minimumOrderQuantity: number;

  @Field(() => DecimalScalar, { nullable: true, description: "Recycled metal share in percent, 0 to 100." })
  recycledMetalPercent?: string | null;

  @Field(() => RjcCertificationInput, { nullable: true, description: "RJC certification, if any." })
  rjcCertification?: RjcCertificationInput | null;

  @Field(() => [ProductImageInput], { defaultValue: [], description: "Images, at most 20." })
  images: ProductImageInput[];

  @Field(() => CustomizationOptionsInput, { nullable: true, description: "Customizations offered; none when omitted." })
  customizationOptions?: CustomizationOptionsInput | null;

  @Field(() => Boolean, { defaultValue: false, description: "True to mark the style discontinued." })
  discontinued: boolean;
}

@ObjectType({ simpleResolvers: true, description: "The result of `upsertProduct`." })
export class UpsertProductPayload extends Payload {
  @Field(() => Product, { nullable: true, description: "The created or updated product." })
  product?: Product | null;
}

@InputType({ description: "A variant, created or replaced whole by its SKU." })
export class UpsertVariantInput {
  @Field(() => ID, { description: "The product it is a variant of." })
  productId: string;

  @Field(() => String, { description: "SKU: letters, digits, dashes, dots and underscores, up to 40 characters; stored in upper case." })
  sku: string;

  @Field(() => String, { nullable: true, description: "GTIN-8, -12, -13 or -14 with a valid check digit." })
  gtin?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "Rings only: inner circumference in mm (38.0 to 80.0)." })
  ringSizeMm?: string | null;

  @Field(() => Int, { nullable: true, description: "Chains, necklaces, pendants and bracelets only: length in mm (100 to 2000)." })
  chainLengthMm?: number | null;

  @Field(() => DecimalScalar, { description: "Metal weight in grams, up to 3 decimals." })
  metalWeightGrams: string;

  @Field(() => Boolean, { defaultValue: false, description: "True to mark this size discontinued." })
  discontinued: boolean;
}

@ObjectType({ simpleResolvers: true, description: "The result of `upsertVariant`." })
export class UpsertVariantPayload extends Payload {
  @Field(() => Variant, { nullable: true, description: "The created or updated variant." })
  variant?: Variant | null;
}

@InputType({ description: "A correction of on-hand stock." })
export class AdjustStockInput {
  @Field(() => ID, { description: "The variant." })
  variantId: string;

  @Field(() => Int, { description: "Units to add (positive) or remove (negative); not zero." })
  delta: number;

  @Field(() => String, { description: "Why, e.g. `cycle count 2026-11`; 3 to 500 characters." })
  reason: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `adjustStock`." })
export class AdjustStockPayload extends Payload {
  @Field(() => Variant, { nullable: true, description: "The variant, with its new availability." })
  variant?: Variant | null;
}

@InputType({ description: "A production run to schedule." })
export class ScheduleProductionBatchInput {
  @Field(() => ID, { description: "The variant to produce." })
  variantId: string;

  @Field(() => Int, { description: "Units, 1 to 100000." })
  quantity: number;

  @Field(() => LocalDateScalar, { description: "When it will be ready: today or later, within two years." })
  readyDate: string;

  @Field(() => String, { defaultValue: "production run", description: "What it is, e.g. `casting run`; up to 200 characters." })
  description: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `scheduleProductionBatch`." })
export class ScheduleProductionBatchPayload extends Payload {
  @Field(() => Variant, { nullable: true, description: "The variant, whose availability now lists the batch." })
  variant?: Variant | null;
}

@InputType({ description: "A distributor's contract price for a variant." })
export class SetPriceInput {
  @Field(() => ID, { description: "The variant." })
  variantId: string;

  @Field(() => ID, { description: "The distributor whose price list it belongs to." })
  distributorId: string;

  @Field(() => DecimalScalar, { description: "Unit price, greater than 0, with at most the currency's decimal places." })
  amount: string;

  @Field(() => CurrencyCode, { description: "Must be the distributor's contract currency." })
  currency: CurrencyCode;
}

@ObjectType({ simpleResolvers: true, description: "The result of `setPrice`." })
export class SetPricePayload extends Payload {
  @Field(() => Variant, { nullable: true, description: "The variant." })
  variant?: Variant | null;

  @Field(() => Money, { nullable: true, description: "The price now in force for the distributor." })
  price?: Money | null;
}

@InputType({ description: "A quantity break of a style: a unit price from a quantity on." })
export class StyleQuantityBreakInput {
  @Field(() => Int, { description: "From this many units of the style on one order, 2 to 100000; ascending from one break to the next." })
  minQuantity: number;

  @Field(() => DecimalScalar, {
    description: "Unit price, greater than 0, with at most the distributor's currency's decimal places; no more than the break before.",
  })
  unitPrice: string;
}

@InputType({ description: "A style's quantity breaks in a distributor's price list, replacing those it had." })
export class SetQuantityBreaksInput {
  @Field(() => ID, { description: "The distributor whose price list they belong to." })
  distributorId: string;

  @Field(() => ID, { description: "The style; the breaks apply to every one of its variants." })
  productId: string;

  @Field(() => [StyleQuantityBreakInput], { description: "The breaks, at most 10, by ascending quantity; empty removes the style's breaks." })
  breaks: StyleQuantityBreakInput[];
}

@ObjectType({ simpleResolvers: true, description: "The result of `setQuantityBreaks`." })
export class SetQuantityBreaksPayload extends Payload {
  @Field(() => Product, { nullable: true, description: "The style." })
  product?: Product | null;

  @Field(() => [StyleQuantityBreak], { nullable: true, description: "The style's breaks now in force for the distributor, by ascending quantity." })
  quantityBreaks?: StyleQuantityBreak[] | null;
}
