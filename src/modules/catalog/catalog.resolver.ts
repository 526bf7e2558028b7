import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Allow } from "../../graphql/access";
import { Readers, UserRole } from "../../core/access";
import { ConnectionArgs } from "../../graphql/connection";
import type { RequestContext } from "../../core/context";
import { Money } from "../../graphql/money";
import { DateTimeScalar } from "../../graphql/scalars";
import { CONNECTION_NODES, projectionOf, rowFields, selectedFields, selectionOf } from "../../graphql/projection";
import { ProductOrderField } from "./catalog.enums";
import {
  AdjustStockInput,
  AdjustStockPayload,
  ProductFilter,
  ScheduleProductionBatchInput,
  ScheduleProductionBatchPayload,
  SetPriceInput,
  SetPricePayload,
  SetQuantityBreaksInput,
  SetQuantityBreaksPayload,
  UpsertProductInput,
  UpsertProductPayload,
  UpsertVariantInput,
  UpsertVariantPayload,
  VariantFilter,
} from "./catalog.inputs";
import * as catalog from "./catalog.service";
import { productChangedAtFor, variantChangedAtFor } from "./catalog-sync";
import {
  Availability,
  CustomizationOptions,
  HsCode,
  LeadTimeQuote,
  PlatingSpec,
  ProductConnection,
  ProductImage,
  Provenance,
  Stone,
  StyleQuantityBreak,
  VariantConnection,
} from "./catalog.types";
import { karat } from "./jewelry";
import { Product } from "./product.entity";
import { Variant } from "./variant.entity";

// Everyone signed in reads the catalog; ERP clients need catalog:read.

// What each field of a product and of a variant reads of its row, beyond a column of its own
// name (see graphql/projection.ts). Availability reads the product's discontinued flag and lead
// time, so a page's products serve their variants' availability too.
export const PRODUCT_ROWS = rowFields(Product, {
  always: ["id"],
  fields: {
    karat: ["metal", "fineness"],
    displayName: ["name", "metal", "fineness", "plating", "platingKarat", "platingThicknessMicrons", "stones"],
    plating: ["metal", "fineness", "plating", "platingKarat", "platingThicknessMicrons"],
    provenance: ["stones", "recycledMetalPercent", "rjcCertificationType", "rjcCertificateNumber"],
    customizationOptions: ["metal", "fineness", "customizationOptions"],
    variants: catalog.PRODUCT_FOR_AVAILABILITY.properties,
    availability: catalog.PRODUCT_FOR_AVAILABILITY.properties,
    changedAt: ["id"],
    quantityBreaks: ["id"],
  },
});

export const VARIANT_ROWS = rowFields(Variant, {
  always: ["id", "productId", "sku"],
  fields: {
    product: ["productId"],
    ringSize: ["ringSizeMm"],
    price: ["id"],
    availability: ["id", "productId", "discontinued"],
    changedAt: ["id"],
  },
});

/** Which of the variants' loaded fields a `variants` selection reads. */
function variantFieldsAhead(selection: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">): catalog.VariantFieldsAhead {
  const fields = selectedFields(selection);
  return { availability: fields.has("availability"), price: fields.has("price") };
}

@Resolver(() => Product)
export class ProductResolver {
  @Allow(...Readers.CATALOG)
  @Query(() => ProductConnection, { nullable: true, description: "The catalog's styles, filtered and ordered." })
  products(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => ProductFilter, { nullable: true, description: "Narrows the list." }) filter: ProductFilter | undefined,
    @Arg("orderBy", () => ProductOrderField, { nullable: true, description: "NAME by default; UPDATED when `filter.updatedSince` is given." })
    orderBy: ProductOrderField | null | undefined,
    @Info() info: GraphQLResolveInfo,
  ) {
    // What the page's fields ask of its variants is loaded with the page (see loadVariantsAhead).
    const variants = selectionOf(info, "variants", CONNECTION_NODES);
    const wanted = [
      ...(variants ? [{ projection: projectionOf(variants, VARIANT_ROWS), ahead: variantFieldsAhead(variants) }] : []),
      ...(selectionOf(info, "availability", CONNECTION_NODES) ? [catalog.VARIANTS_FOR_AVAILABILITY] : []),
    ];
    return catalog.listProducts(ctx, args, filter, orderBy, projectionOf(info, PRODUCT_ROWS, CONNECTION_NODES), wanted);
  }

  @Allow(...Readers.CATALOG)
  @Query(() => Product, { nullable: true, description: "One style by id or by style code (give exactly one); null when there is none." })
  product(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { nullable: true, description: "Global id." }) id?: string,
    @Arg("styleCode", () => String, { nullable: true, description: "Style code, any case." }) styleCode?: string,
  ): Promise<Product | null> {
    return catalog.findProduct(ctx, { id, styleCode });
  }

  @FieldResolver(() => Int, { nullable: true, description: "Gold karat from the trade table (585 is 14K, 916 is 22K); null for other metals." })
  karat(@Root() product: Product): number | null {
    return karat(product.metal, product.fineness);
  }

  @FieldResolver(() => String, {
    description: 'Full name with metal, plating and stones, treatments disclosed, e.g. "Solitaire, 18K gold with lab-grown diamond" or "Charm, 14K gold electroplated brass with heated citrine".',
  })
  displayName(@Root() product: Product): string {
    return catalog.displayNameOf(product);
  }

  @FieldResolver(() => PlatingSpec, { description: "Plating, its karat and thickness, and what it may be called." })
  plating(@Root() product: Product): PlatingSpec {
    return catalog.platingOf(product);
  }

  @FieldResolver(() => [Stone], { description: "Stones set in the piece, with origin and treatments disclosed." })
  stones(@Root() product: Product): Stone[] {
    return catalog.stonesOf(product);
  }

  @FieldResolver(() => HsCode, { description: "Harmonized System tariff code for customs." })
  hsCode(@Root() product: Product): HsCode {
    return catalog.hsCodeOf(product);
  }

  @FieldResolver(() => Provenance, { description: "Recycled metal, RJC certification and the Kimberley Process / System of Warranties statement." })
  provenance(@Root() product: Product): Provenance {
    return catalog.provenanceOf(product);
  }

  @FieldResolver(() => [ProductImage], { description: "Images, first is the main one." })
  images(@Root() product: Product): ProductImage[] {
    return product.images;
  }

  @FieldResolver(() => CustomizationOptions, { description: "What a buyer may ask to change when ordering the style." })
  customizationOptions(@Root() product: Product): CustomizationOptions {
    return catalog.customizationOptionsOf(product);
  }

  @FieldResolver(() => [Variant], { description: "The sizes or lengths the style is made in, by SKU." })
  variants(@Ctx() ctx: RequestContext, @Root() product: Product, @Info() info: GraphQLResolveInfo): Variant[] | Promise<Variant[]> {
    return catalog.variantsOf(ctx, product, projectionOf(info, VARIANT_ROWS), variantFieldsAhead(info));
  }

  @FieldResolver(() => Availability, { description: "Stock and production of all variants together; the status is the best of theirs." })
  availability(@Ctx() ctx: RequestContext, @Root() product: Product): Promise<Availability> {
    return catalog.productAvailability(ctx, product);
  }

  @FieldResolver(() => DateTimeScalar, {
    description:
      "When something you see of the style last changed: the style, its variants, their prices in your price list (staff: in any), their stock and production batches. What `products(filter: { updatedSince })` compares: resume a sync from the last one seen.",
  })
  changedAt(@Ctx() ctx: RequestContext, @Root() product: Product): Date | Promise<Date> {
    return productChangedAtFor(ctx, product);
  }

  @FieldResolver(() => [StyleQuantityBreak], {
    description:
      "Lower unit prices from a quantity of the style on, in a distributor's price list, by ascending quantity: an order counts the style's units over all its lines (sizes and lengths together), and the highest break reached prices each of them, unless a variant's own price is lower. Distributors see their own list (empty when it has none); staff pass `distributorId`.",
  })
  quantityBreaks(
    @Ctx() ctx: RequestContext,
    @Root() product: Product,
    @Arg("distributorId", () => ID, { nullable: true, description: "Staff: whose price list. Distributors may leave it out." }) distributorId?: string,
  ): StyleQuantityBreak[] | Promise<StyleQuantityBreak[]> {
    return catalog.productQuantityBreaks(ctx, product, distributorId);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => SetQuantityBreaksPayload, {
    description: "Replaces a style's quantity breaks in a distributor's price list, in its contract currency. Export managers only.",
  })
  setQuantityBreaks(@Ctx() ctx: RequestContext, @Arg("input", () => SetQuantityBreaksInput) input: SetQuantityBreaksInput): Promise<SetQuantityBreaksPayload> {
    return catalog.setQuantityBreaks(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => UpsertProductPayload, { description: "Creates a style, or replaces the one with the same style code. Export managers only." })
  upsertProduct(@Ctx() ctx: RequestContext, @Arg("input", () => UpsertProductInput) input: UpsertProductInput): Promise<UpsertProductPayload> {
    return catalog.upsertProduct(ctx, input);
  }
}

@Resolver(() => Variant)
export class VariantResolver {
  @Allow(...Readers.CATALOG)
  @Query(() => Variant, { nullable: true, description: "One variant by id or by SKU (give exactly one); null when there is none." })
  variant(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { nullable: true, description: "Global id." }) id?: string,
    @Arg("sku", () => String, { nullable: true, description: "SKU, any case." }) sku?: string,
  ): Promise<Variant | null> {
    return catalog.findVariant(ctx, { id, sku });
  }

  @Allow(...Readers.CATALOG)
  @Query(() => VariantConnection, {
    nullable: true,
    description:
      "Variants in the order something you see of them last changed (`changedAt`: the variant, its style, its price in your price list, its stock and production), least recent first, for incremental sync. A page holds only changes that are final, so paging to the end and resuming from the last `changedAt` misses nothing.",
  })
  variants(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => VariantFilter, { nullable: true, description: "Narrows the list." }) filter: VariantFilter | undefined,
  ) {
    return catalog.listVariantChanges(ctx, args, filter);
  }

  @Allow(...Readers.CATALOG)
  @Query(() => LeadTimeQuote, {
    nullable: true,
    description: "When a quantity of a variant could ship if ordered now: from stock, scheduled batches, or a new run. Reserves nothing.",
  })
  leadTimeQuote(
    @Ctx() ctx: RequestContext,
    @Arg("variantId", () => ID, { description: "The variant." }) variantId: string,
    @Arg("quantity", () => Int, { description: "Units wanted: at least the minimum order quantity, at most 100000." }) quantity: number,
  ): Promise<LeadTimeQuote> {
    return catalog.leadTimeQuote(ctx, variantId, quantity);
  }

  @FieldResolver(() => Product, { description: "The style this is a variant of." })
  product(@Ctx() ctx: RequestContext, @Root() variant: Variant): Promise<Product> {
    return catalog.productOf(ctx, variant);
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description:
      "Unit price from a distributor's price list, in its contract currency. Distributors see their own list (null when it has no price); staff pass `distributorId`.",
  })
  price(
    @Ctx() ctx: RequestContext,
    @Root() variant: Variant,
    @Arg("distributorId", () => ID, { nullable: true, description: "Staff: whose price list. Distributors may leave it out." }) distributorId?: string,
  ): Money | null | Promise<Money | null> {
    return catalog.variantPrice(ctx, variant, distributorId);
  }

  @FieldResolver(() => Availability, { description: "Stock, reservations, incoming batches and status." })
  availability(@Ctx() ctx: RequestContext, @Root() variant: Variant): Availability | Promise<Availability> {
    return catalog.variantAvailability(ctx, variant);
  }

  @FieldResolver(() => DateTimeScalar, {
    description:
      "When something you see of the variant last changed: the variant, its style, its price in your price list (staff: in any), its stock and production batches. What `variants(filter: { updatedSince })` compares: resume a sync from the last one seen.",
  })
  changedAt(@Ctx() ctx: RequestContext, @Root() variant: Variant): Date | Promise<Date> {
    return variantChangedAtFor(ctx, variant);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => UpsertVariantPayload, { description: "Creates a variant, or replaces the one with the same SKU. Export managers only." })
  upsertVariant(@Ctx() ctx: RequestContext, @Arg("input", () => UpsertVariantInput) input: UpsertVariantInput): Promise<UpsertVariantPayload> {
    return catalog.upsertVariant(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => AdjustStockPayload, { description: "Corrects on-hand stock with a reason; never below zero or below what is reserved. Export managers only." })
  adjustStock(@Ctx() ctx: RequestContext, @Arg("input", () => AdjustStockInput) input: AdjustStockInput): Promise<AdjustStockPayload> {
    return catalog.adjustStock(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => ScheduleProductionBatchPayload, { description: "Schedules a production run of a variant. Export managers only." })
  scheduleProductionBatch(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => ScheduleProductionBatchInput) input: ScheduleProductionBatchInput,
  ): Promise<ScheduleProductionBatchPayload> {
    return catalog.scheduleProductionBatch(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => SetPricePayload, { description: "Sets a distributor's price for a variant, in its contract currency. Export managers only." })
  setPrice(@Ctx() ctx: RequestContext, @Arg("input", () => SetPriceInput) input: SetPriceInput): Promise<SetPricePayload> {
    return catalog.setPrice(ctx, input);
  }
}
