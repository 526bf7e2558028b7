import { Brackets } from "typeorm";
import { paginate, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { isStaff, type RequestContext } from "../../core/context";
import { loader, scopedLoader, type LoaderFactory, batchLoader, LoadedAhead, readInBatches } from "../../db/loaders";
import { BadUserInputError } from "../../graphql/errors";
import { money, toScaled, type Money } from "../../graphql/money";
import { idOfType, toGlobalId } from "../../graphql/node";
import { covers, projectionFrom, type Projection } from "../../db/projection";
import { CurrencyCode, minorUnits } from "../../graphql/scalars";
import { Rejected, UserErrorCode, UserErrors, userError, type UserError } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { likePattern } from "../../db/sql";
import { sql } from "../../db/statements";
import { mutate } from "../../graphql/mutation";
import { log } from "../../logger";
import { Distributor } from "../accounts";
import { recordEvents } from "../events";
import { addCalendarDays, calendarFromToday, exporterToday } from "../calendar";
import { AvailabilityStatus, Category, Metal, Plating, ProductOrderField, StoneOrigin, type StoneType, Treatment } from "./catalog.enums";
import type {
  AdjustStockInput,
  AdjustStockPayload,
  PlatingInput,
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
} from "./catalog.inputs";
import {
  breaksInList,
  priceInList,
  priceReader,
  productById,
  supplyByVariant,
  supplyReader,
  variantById,
  variantsByProduct,
  variantsReader,
  type Supply,
} from "./catalog.loaders";
import type { Availability, Composition, CustomizationOptions, HsCode, LeadTimeQuote, PlatingSpec, Provenance, Stone, StyleQuantityBreak } from "./catalog.types";
import {
  ALLOWED_FINENESS,
  containsNaturalDiamond,
  disclosedStoneName,
  displayName,
  formatHsCode,
  isGoldPlating,
  isPermanentTreatment,
  isValidGtin,
  karat,
  normalizeHsCode,
  pieceMetalName,
  PLATING_KARAT,
  platingDesignation,
  stoneDisplayName,
  stoneOriginProblem,
  threeDecimals,
  WDC_SOW_STATEMENT,
} from "./jewelry";
import { hsCodeProblem } from "./hs-codes";
import { quoteLeadTime, reservableFromStock } from "./lead-time";
import { keepProductsChangedSince, productChanges, variantChanges, type VariantSyncFilter } from "./catalog-sync";
import { availabilityChanged } from "./availability-events";
import { AVAILABILITY_RANK, Product, type CompositionRow, type PlatingRow, type StoneRow } from "./product.entity";
import { ProductionBatch, StockLevel, StockMovement, VariantPrice } from "./stock.entity";
import { Variant } from "./variant.entity";
import { PriceBreak } from "./quantity-break.entity";

export const MAX_QUOTE_QUANTITY = 100_000;
const MAX_SEARCH_LENGTH = 100;


// ---- reads -------------------------------------------------------------------------------

// UPDATED is read by productChanges (catalog-sync.ts): its key is worked out for each caller.
const ORDERINGS: Record<Exclude<ProductOrderField, ProductOrderField.UPDATED>, Ordering<Product>> = {
  [ProductOrderField.NAME]: { name: "name", keys: [{ sql: "p.name", direction: "ASC", value: (p) => p.name }], id: "p.id" },
  [ProductOrderField.STYLE_CODE]: { name: "styleCode", keys: [{ sql: "p.styleCode", direction: "ASC", value: (p) => p.styleCode }], id: "p.id" },
  [ProductOrderField.NEWEST]: { name: "newest", keys: [{ sql: "p.createdAt", direction: "DESC", value: (p) => p.createdAt }], id: "p.id" },
  [ProductOrderField.AVAILABILITY]: {
    name: "availability",
    keys: [
      { sql: "p.availabilityRank", direction: "ASC", value: (p) => p.availabilityRank },
      { sql: "p.name", direction: "ASC", value: (p) => p.name },
    ],
    id: "p.id",
  },
};


export async function listProducts(
  ctx: RequestContext,
  args: ConnectionArgs,
  filter: ProductFilter | null | undefined,
  orderBy: ProductOrderField | null | undefined,
  projection: Projection | null = null,
  variantsWanted: readonly VariantsWanted[] = [],
): Promise<ConnectionResult<Product>> {
  const qb = ctx.db.createQueryBuilder(Product, "p").where("TRUE");
  const f = filter ?? {};
  const order = orderBy ?? (f.updatedSince ? ProductOrderField.UPDATED : ProductOrderField.NAME);
  if (f.categories?.length) qb.andWhere("p.category = ANY(:categories)", { categories: f.categories });
  if (f.collection) qb.andWhere("p.collection = :collection", { collection: f.collection });
  if (f.metals?.length) qb.andWhere("p.metal = ANY(:metals)", { metals: f.metals });
  if (f.fineness?.length) qb.andWhere("p.fineness = ANY(:fineness)", { fineness: f.fineness });
  if (f.platings?.length) qb.andWhere("p.plating = ANY(:platings)", { platings: f.platings });
  if (f.stoneTypes?.length || f.stoneOrigin) {
    // One containment test per stone type, so the GIN index on stones serves each of them.
    const patterns = (f.stoneTypes?.length ? f.stoneTypes : [null]).map((type) =>
      JSON.stringify([{ ...(type ? { type } : {}), ...(f.stoneOrigin ? { origin: f.stoneOrigin } : {}) }]),
    );
    qb.andWhere(
      new Brackets((or) => patterns.forEach((pattern, i) => or.orWhere(`p.stones @> CAST(:stonePattern${i} AS jsonb)`, { [`stonePattern${i}`]: pattern }))),
    );
  }
  if (f.availability?.length) {
    qb.andWhere("p.availabilityRank = ANY(:ranks)", { ranks: f.availability.map((s) => AVAILABILITY_RANK.indexOf(s)) });
  }
  const search = f.search?.trim();
  if (search) {
    if (search.length > MAX_SEARCH_LENGTH) throw new BadUserInputError("filter", `filter.search may be at most ${MAX_SEARCH_LENGTH} characters`);
    // The styles matching in their own columns and those matching through a variant's SKU, each
    // looked up in its trigram index: with the SKU's EXISTS among ORs, PostgreSQL could use none
    // of them and filtered every style of the catalog.
    qb.andWhere(
      `p.id IN (SELECT sp.id FROM products sp WHERE sp.style_code ILIKE :search OR sp.name ILIKE :search
        UNION ALL SELECT sv.product_id FROM variants sv WHERE sv.sku ILIKE :search)`,
      { search: likePattern(search) },
    );
  }
  let page: ConnectionResult<Product>;
  // A page in change order reads whole rows (see productChanges).
  let read = projection;
  if (order === ProductOrderField.UPDATED) {
    // Changed for the caller (its price list's prices, stock and production included), up to the sync horizon.
    page = await productChanges(ctx, qb, args, f.updatedSince);
    read = null;
  } else {
    if (f.updatedSince) keepProductsChangedSince(ctx, qb, f.updatedSince);
    page = await paginate(ctx.db, Product, qb, args, ORDERINGS[order], projection);
  }
  // Variants' availability asks for their product: the page already holds it (and the whole
  // row, for any other reader, when every column was selected).
  const prime = (projected: Projection | null) => {
    const byId = loader(ctx, productById, projected);
    for (const product of page.nodes) byId.prime(product.id, product);
  };
  if (covers(read, PRODUCT_FOR_AVAILABILITY)) prime(PRODUCT_FOR_AVAILABILITY);
  if (!read) prime(null);
  await loadVariantsAhead(ctx, page.nodes, variantsWanted);
  return page;
}

function exactlyOne(a: unknown, b: unknown, names: [string, string]): void {
  if ((a == null) === (b == null)) throw new BadUserInputError(names[0], `Give exactly one of \`${names[0]}\` and \`${names[1]}\``);
}

export async function findProduct(ctx: RequestContext, by: { id?: string | null; styleCode?: string | null }): Promise<Product | null> {
  exactlyOne(by.id, by.styleCode, ["id", "styleCode"]);
  // An id that does not decode (even an empty one) reads as a missing product, not a style code.
  if (by.id != null) {
    const id = idOfType(by.id, "Product");
    return id ? loader(ctx, productById).load(id) : null;
  }
  return ctx.db.findOneBy(Product, { styleCode: by.styleCode!.trim().toUpperCase() });
}

export async function findVariant(ctx: RequestContext, by: { id?: string | null; sku?: string | null }): Promise<Variant | null> {
  exactlyOne(by.id, by.sku, ["id", "sku"]);
  if (by.id != null) {
    const id = idOfType(by.id, "Variant");
    return id ? loader(ctx, variantById).load(id) : null;
  }
  return ctx.db.findOneBy(Variant, { sku: by.sku!.trim().toUpperCase() });
}

/** Variants in change order for the caller, up to the sync horizon (see catalog-sync.ts). */
export function listVariantChanges(ctx: RequestContext, args: ConnectionArgs, filter: VariantSyncFilter | null | undefined): Promise<ConnectionResult<Variant>> {
  return variantChanges(ctx, args, filter);
}

export const productOf = (ctx: RequestContext, variant: Variant): Promise<Product> =>
  loader(ctx, productById).load(variant.productId) as Promise<Product>;

/** Which of a variant's loaded fields a selection reads, so that they are loaded with the variants. */
export interface VariantFieldsAhead {
  availability: boolean;
  price: boolean;
}

/**
 * The style's variants. With `ahead`, their supply (for availability) and their prices in the
 * caller's own list are loaded with them and kept for the request, for every product of the page
 * at once: the variants' `availability` and `price` then answer at once (variantAvailability,
 * variantPrice), instead of each of a page's hundreds waiting on a loader of its own. A page that
 * loaded them ahead (loadVariantsAhead) has them at once.
 */
export function variantsOf(ctx: RequestContext, product: Product, projection: Projection | null = null, ahead?: VariantFieldsAhead): Variant[] | Promise<Variant[]> {
  return variantsAhead.get(ctx, product, projection) ?? loadVariants(ctx, product, projection, ahead);
}

async function loadVariants(ctx: RequestContext, product: Product, projection: Projection | null, ahead?: VariantFieldsAhead): Promise<Variant[]> {
  const variants = await loader(ctx, variantsByProduct, projection).load(product.id);
  if (ahead && (ahead.availability || ahead.price) && variants.length > 0) await loader(ctx, variantPreparation).load({ product, variants, ...ahead });
  return variants;
}

/** What a selection of variants reads: their projection, and which of their loaded fields. */
export interface VariantsWanted {
  projection: Projection | null;
  ahead: VariantFieldsAhead;
}

/** Every column, with their supply: what a product's own availability reads of its variants. */
export const VARIANTS_FOR_AVAILABILITY: VariantsWanted = { projection: null, ahead: { availability: true, price: false } };

/** The variants a page loaded ahead for each of its products (see loadVariantsAhead). */
const variantsAhead = new LoadedAhead<Product, Variant[]>();

/**
 * Loads the variants of a page's products as the page's fields will ask for them (the `variants`
 * field's projection and what it reads ahead, the products' own availability), and prepares
 * them, before the page is answered: a statement for all the page's variants per projection,
 * then their supply and prices once for all (see prepareVariants). Each product's fields then
 * answer at once, with no loader key or promise of their own. Should this fail, each product's
 * fields load their own, and report what fails.
 */
export async function loadVariantsAhead(ctx: RequestContext, products: readonly Product[], wanted: readonly VariantsWanted[]): Promise<void> {
  if (products.length === 0 || wanted.length === 0) return;
  const byProjection = new Map<Projection | null, VariantFieldsAhead>();
  for (const { projection, ahead } of wanted) {
    const other = byProjection.get(projection);
    byProjection.set(projection, other ? { availability: other.availability || ahead.availability, price: other.price || ahead.price } : ahead);
  }
  const ids = products.map((p) => p.id);
  try {
    const loads = await Promise.all(
      [...byProjection].map(async ([projection, ahead]) => ({ projection, ahead, lists: await readInBatches(ids, variantsReader(ctx, projection)) })),
    );
    const pages = loads.flatMap(({ ahead, lists }) => products.map((product) => ({ product, variants: lists.get(product.id) ?? [], ...ahead })));
    await prepareVariants(
      ctx,
      pages.filter((page) => page.variants.length > 0 && (page.availability || page.price)),
    );
    for (const { projection, lists } of loads) for (const product of products) variantsAhead.set(ctx, product, projection, lists.get(product.id) ?? []);
  } catch (error) {
    // Left to each product's own path (variantsOf), which asks again and reports what fails.
    log.warn("a page's variants were not loaded ahead", { error, requestId: ctx.requestId });
  }
}

interface PreparedVariant {
  product: Product;
  supply?: Supply;
  /** The price in one distributor's list (row null: none there); absent when not loaded. */
  price?: { distributorId: string; row: VariantPrice | null };
}

const preparedByRequest = new WeakMap<RequestContext, WeakMap<Variant, PreparedVariant>>();
const preparedOf = (ctx: RequestContext, variant: Variant) => preparedByRequest.get(ctx)?.get(variant);

type VariantsToPrepare = { product: Product; variants: Variant[] } & VariantFieldsAhead;

/** Prepares the variants of every product asked for in the same tick (a page's, and the products' own availability with it), in one prepareVariants. */
const variantPreparation: LoaderFactory<VariantsToPrepare, void> = (ctx) =>
  batchLoader(async (pages) => {
    await prepareVariants(ctx, pages);
    return pages.map(() => undefined);
  });

/**
 * Reads what these products' variants' `availability` and `price` need: one statement for the
 * products' availability facts, and the supply and prices of all their variants, each read once
 * for them all rather than as a loader key per variant; kept for the request (see preparedOf).
 */
async function prepareVariants(ctx: RequestContext, pages: readonly VariantsToPrepare[]): Promise<void> {
  // The list a price asked for without a distributor comes from (none for staff).
  const distributorId = priceListOf(ctx, undefined);
  const idsFor = (wanted: (page: VariantsToPrepare) => boolean) => [...new Set(pages.filter(wanted).flatMap((page) => page.variants.map((v) => v.id)))];
  const supplyIds = idsFor((page) => page.availability);
  const priceIds = distributorId ? idsFor((page) => page.price) : [];
  // What fails to load is left unprepared: the fields' own paths ask again and report it.
  const [products, supplies, prices] = await Promise.all([
    loader(ctx, productById, PRODUCT_FOR_AVAILABILITY).loadMany(pages.map((page) => page.product.id)),
    supplyIds.length > 0 ? readInBatches(supplyIds, supplyReader(ctx)).catch(() => undefined) : undefined,
    priceIds.length > 0 ? readInBatches(priceIds, priceReader(ctx, distributorId!)).catch(() => undefined) : undefined,
  ]);
  let prepared = preparedByRequest.get(ctx);
  if (!prepared) preparedByRequest.set(ctx, (prepared = new WeakMap()));
  pages.forEach((page, i) => {
    const product = products[i];
    if (!product || product instanceof Error) return;
    for (const variant of page.variants) {
      // A variant prepared before for another field keeps what was read for it then.
      const entry: PreparedVariant = prepared.get(variant) ?? { product };
      const supply = page.availability ? supplies?.get(variant.id) : undefined;
      if (supply) entry.supply = supply;
      if (page.price && distributorId && prices) entry.price = { distributorId, row: prices.get(variant.id) ?? null };
      prepared.set(variant, entry);
    }
  });
}

/** What availability reads of a variant's product. */
export const PRODUCT_FOR_AVAILABILITY = projectionFrom(["id", "discontinued", "standardLeadTimeDays"]);

export function stonesOf(piece: { stones: StoneRow[] }): Stone[] {
  return piece.stones.map((s) => ({
    ...s,
    treatments: s.treatments.filter((t) => t !== Treatment.NONE).map((treatment) => ({ treatment, permanent: isPermanentTreatment(treatment) })),
    displayName: stoneDisplayName(s.type, s.origin),
    disclosedName: disclosedStoneName(s),
  }));
}

/** A plating as shown, with what it may be called over the piece's metal. */
export const platingView = (metal: Metal, fineness: number | null, plating: PlatingRow): PlatingSpec => ({
  type: plating.type,
  karat: plating.karat,
  thicknessMicrons: plating.thicknessMicrons,
  designation: platingDesignation(metal, fineness, plating),
});

export function customizationOptionsOf(p: Product): CustomizationOptions {
  const platingOffers = p.customizationOptions.platingOffers ?? [];
  const stoneOffers = p.customizationOptions.stoneOffers ?? [];
  return {
    customSizes: p.customizationOptions.customSizes ?? false,
    platings: platingOffers.map((o) => o.type),
    platingOffers: platingOffers.map((o) => platingView(p.metal, p.fineness, o)),
    stones: stoneOffers.map((o) => o.type),
    stoneOffers: stonesOf({ stones: stoneOffers }),
    branding: p.customizationOptions.branding ?? false,
    engravingMaxLength: p.customizationOptions.engravingMaxLength ?? 0,
  };
}

/** The style's own plating. */
export const platingRowOf = (p: Product): PlatingRow => ({ type: p.plating, karat: p.platingKarat ?? null, thicknessMicrons: p.platingThicknessMicrons });

export const platingOf = (p: Product): PlatingSpec => platingView(p.metal, p.fineness, platingRowOf(p));

/** A composition as the API shows it (an order line's, a design brief quote's). */
export function compositionView(c: CompositionRow): Composition {
  return {
    metal: c.metal,
    fineness: c.fineness,
    karat: karat(c.metal, c.fineness),
    metalName: pieceMetalName(c.metal, c.fineness, c.plating),
    plating: platingView(c.metal, c.fineness, c.plating),
    metalWeightGrams: c.metalWeightGrams,
    stones: stonesOf(c),
    containsNaturalDiamonds: containsNaturalDiamond(c.stones),
  };
}

/** What a line asks to change of a style's standard piece: a plating and a stone offered by it. */
export interface PieceChanges {
  plating?: Plating;
  stone?: StoneType;
}

/**
 * What one piece of a variant is made of, with the plating and stone a line asks for taken from
 * the style's offers: the offered plating replaces the style's; the offered stone line replaces
 * the style's first stone line (its principal stones), or is added to a style without stones.
 * Null when the style does not offer what is asked (see checkCustomization in orders).
 */
export function compositionOfVariant(product: Product, variant: Variant, changes: PieceChanges): CompositionRow | null {
  const offers = product.customizationOptions ?? {};
  const plating = changes.plating !== undefined ? offers.platingOffers?.find((o) => o.type === changes.plating) : platingRowOf(product);
  const stone = changes.stone !== undefined ? offers.stoneOffers?.find((o) => o.type === changes.stone) : undefined;
  if (!plating || (changes.stone !== undefined && !stone)) return null;
  return {
    metal: product.metal,
    fineness: product.fineness,
    plating: { type: plating.type, karat: plating.karat ?? null, thicknessMicrons: plating.thicknessMicrons ?? null },
    metalWeightGrams: variant.metalWeightGrams,
    stones: stone ? [stone, ...product.stones.slice(1)] : product.stones,
  };
}

export const hsCodeOf = (p: Product): HsCode => ({ digits: p.hsCode, formatted: formatHsCode(p.hsCode) });

export const displayNameOf = (p: Product): string => displayName(p.name, { metal: p.metal, fineness: p.fineness, plating: platingRowOf(p), stones: p.stones });

export function provenanceOf(p: Product): Provenance {
  const natural = containsNaturalDiamond(p.stones);
  return {
    recycledMetalPercent: p.recycledMetalPercent,
    rjcCertification: p.rjcCertificationType && p.rjcCertificateNumber ? { type: p.rjcCertificationType, certificateNumber: p.rjcCertificateNumber } : null,
    containsNaturalDiamonds: natural,
    systemOfWarrantiesStatement: natural ? WDC_SOW_STATEMENT : null,
  };
}

/** A variant's availability status from its stock (a discontinued style or variant is DISCONTINUED). */
export function statusOf(discontinued: boolean, available: number, threshold: number): AvailabilityStatus {
  if (discontinued) return AvailabilityStatus.DISCONTINUED;
  if (available > threshold) return AvailabilityStatus.IN_STOCK;
  if (available > 0) return AvailabilityStatus.LOW_STOCK;
  return AvailabilityStatus.MADE_TO_ORDER;
}

/** At once when the variant's supply was loaded with it (see variantsOf). */
export function variantAvailability(ctx: RequestContext, variant: Variant): Availability | Promise<Availability> {
  const prepared = preparedOf(ctx, variant);
  if (prepared?.supply) return availabilityFrom(variant, prepared.product, prepared.supply);
  return Promise.all([
    loader(ctx, productById, PRODUCT_FOR_AVAILABILITY).load(variant.productId) as Promise<Product>,
    loader(ctx, supplyByVariant).load(variant.id),
  ]).then(([product, supply]) => availabilityFrom(variant, product, supply));
}

function availabilityFrom(variant: Variant, product: Product, { stock, batches }: Supply): Availability {
  const onHand = stock?.onHand ?? 0;
  const reserved = stock?.reserved ?? 0;
  return {
    onHand,
    reserved,
    available: onHand - reserved,
    status: statusOf(variant.discontinued || product.discontinued, onHand - reserved, stock?.lowStockThreshold ?? 0),
    incoming: batches.map((b) => ({ quantity: b.quantity, unallocated: b.quantity - b.allocated, readyDate: b.readyDate, description: b.description })),
    leadTimeDays: product.standardLeadTimeDays,
  };
}

/** A product's availability: its variants' units added up, and the best of their statuses. */
export async function productAvailability(ctx: RequestContext, product: Product): Promise<Availability> {
  // Its variants' supply is read with the page's (see loadVariantsAhead), or with the other products' of the tick (variantPreparation).
  const parts = await Promise.all((await variantsOf(ctx, product, VARIANTS_FOR_AVAILABILITY.projection, VARIANTS_FOR_AVAILABILITY.ahead)).map((v) => variantAvailability(ctx, v)));
  const rank = parts.length === 0 ? (product.discontinued ? 3 : 2) : Math.min(...parts.map((p) => AVAILABILITY_RANK.indexOf(p.status)));
  return {
    onHand: parts.reduce((n, p) => n + p.onHand, 0),
    reserved: parts.reduce((n, p) => n + p.reserved, 0),
    available: parts.reduce((n, p) => n + p.available, 0),
    status: AVAILABILITY_RANK[rank] as AvailabilityStatus,
    incoming: parts.flatMap((p) => p.incoming).sort((a, b) => a.readyDate.localeCompare(b.readyDate)),
    leadTimeDays: product.standardLeadTimeDays,
  };
}

/**
 * Whose price list a price asked for reads: distributors see only their own (asking for
 * another's gives none, like a missing price); staff name the distributor.
 */
function priceListOf(ctx: RequestContext, distributorGlobalId: string | null | undefined): string | null {
  const asked = distributorGlobalId ? idOfType(distributorGlobalId, "Distributor") : null;
  const own = ctx.principal?.distributorId ?? null;
  return isStaff(ctx.principal) ? asked : distributorGlobalId && asked !== own ? null : own;
}

const priceOf = (row: VariantPrice | null): Money | null => (row ? money(row.amount, row.currency as CurrencyCode) : null);

/** The variant's price in a distributor's price list (see priceListOf); at once when it was loaded with the variant (see variantsOf). */
export function variantPrice(ctx: RequestContext, variant: Variant, distributorGlobalId: string | null | undefined): Money | null | Promise<Money | null> {
  const distributorId = priceListOf(ctx, distributorGlobalId);
  if (!distributorId) return null;
  const prepared = preparedOf(ctx, variant)?.price;
  if (prepared?.distributorId === distributorId) return priceOf(prepared.row);
  return scopedLoader(ctx, priceInList, distributorId).load(variant.id).then(priceOf);
}

/** A quantity break as shown, in its list's currency. */
export const quantityBreakView = (row: PriceBreak): StyleQuantityBreak => ({ minQuantity: row.minQuantity, unitPrice: money(row.unitPrice, row.currency as CurrencyCode) });

/**
 * The style's quantity breaks in a distributor's price list (see priceListOf: a distributor's
 * own, a staff member's named one; none otherwise), by ascending quantity. A page's styles ask in
 * the same tick, so one statement reads them all (breaksInList).
 */
export function productQuantityBreaks(ctx: RequestContext, product: Product, distributorGlobalId: string | null | undefined): StyleQuantityBreak[] | Promise<StyleQuantityBreak[]> {
  const distributorId = priceListOf(ctx, distributorGlobalId);
  if (!distributorId) return [];
  return scopedLoader(ctx, breaksInList, distributorId)
    .load(product.id)
    .then((rows) => rows.map(quantityBreakView));
}

// The lead-time quote answers when, not how much: it carries no price, so quantity breaks do not
// enter it (previewOrder answers an order's prices, breaks applied).
export async function leadTimeQuote(ctx: RequestContext, variantGlobalId: string, quantity: number): Promise<LeadTimeQuote> {
  const id = idOfType(variantGlobalId, "Variant");
  const variant = id ? await loader(ctx, variantById).load(id) : null;
  if (!variant) throw new BadUserInputError("variantId", "No variant with this id");
  const product = await productOf(ctx, variant);
  if (quantity < 1) throw new BadUserInputError("quantity", `quantity must be at least 1, got ${quantity}`);
  if (quantity > MAX_QUOTE_QUANTITY) throw new BadUserInputError("quantity", `quantity may be at most ${MAX_QUOTE_QUANTITY}, got ${quantity}`);
  if (quantity < product.minimumOrderQuantity) {
    throw new BadUserInputError("quantity", `quantity ${quantity} is below the minimum order quantity of ${product.minimumOrderQuantity}`);
  }
  const { stock, batches } = await loader(ctx, supplyByVariant).load(variant.id);
  // As placeOrder will: one order takes at most its share of the stock, the rest is made to order.
  const available = reservableFromStock(Math.max(0, (stock?.onHand ?? 0) - (stock?.reserved ?? 0)), ctx.config.reservations);
  if ((variant.discontinued || product.discontinued) && quantity > available) {
    throw new BadUserInputError("quantity", `This variant is discontinued: one order can have only ${available}, from stock`);
  }
  const { today, calendar } = await calendarFromToday(ctx);
  const quote = quoteLeadTime({
    today,
    calendar,
    quantity,
    available,
    batches: batches.map((b) => ({ id: b.id, readyDate: b.readyDate, free: b.quantity - b.allocated, description: b.description })),
    standardLeadTimeDays: product.standardLeadTimeDays,
  });
  return { variant, ...quote, quotedAt: new Date() };
}

// ---- writes (export managers) ------------------------------------------------------------------

const STYLE_CODE = /^[A-Z0-9][A-Z0-9-]{0,39}$/;
const SKU = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;
const CHAIN_CATEGORIES: readonly Category[] = [Category.CHAIN, Category.NECKLACE, Category.PENDANT, Category.BRACELET];
const MAX_STONE_LINES = 20;
const MAX_IMAGES = 20;

/**
 * Fineness must be a legal standard of the metal (of a style, a design brief or a quote); base
 * metals have none (docs/domain.md, "Precious metals: fineness and karat").
 */
export function checkFineness(errors: UserErrors, metal: Metal, fineness: number | null, path: readonly (string | number)[] = ["input", "fineness"]): void {
  const allowed = ALLOWED_FINENESS[metal];
  if (allowed.length === 0 && fineness !== null) {
    errors.add(path, `${metal} has no fineness; leave it out`, UserErrorCode.INVALID);
  } else if (allowed.length > 0 && (fineness === null || !allowed.includes(fineness))) {
    errors.add(path, `Fineness of ${metal} must be one of its legal standards: ${allowed.join(", ")}`, fineness === null ? UserErrorCode.REQUIRED : UserErrorCode.INVALID);
  }
}

/**
 * Checks stone lines of a style, a design brief, a quote or an offer, at `path` (default
 * input.stones): counts and weights, the origin a stone can have (docs/domain.md, "Stones:
 * disclosure (FTC Jewelry Guides)") and treatments that fit it.
 */
export function validStones(errors: UserErrors, stones: UpsertProductInput["stones"], path: readonly (string | number)[] = ["input", "stones"]): StoneRow[] {
  if (stones.length > MAX_STONE_LINES) errors.add(path, `At most ${MAX_STONE_LINES} stone lines`, UserErrorCode.TOO_LONG);
  return stones.slice(0, MAX_STONE_LINES).map((s, i) => {
    const at = [...path, i];
    validate.integer(errors, [...at, "count"], s.count, { min: 1, max: 10_000, label: "Stone count" });
    validate.decimal(errors, [...at, "totalCarat"], s.totalCarat, { scale: 3, min: 0, max: 10_000, exclusiveMin: true, label: "Total carat" });
    const originProblem = stoneOriginProblem(s.type, s.origin);
    if (originProblem) errors.add([...at, "origin"], originProblem, UserErrorCode.INVALID);
    const treatments = [...new Set(s.treatments ?? [])];
    if (treatments.includes(Treatment.NONE) && treatments.length > 1) {
      errors.add([...at, "treatments"], "NONE cannot be combined with other treatments", UserErrorCode.INVALID);
    }
    if (s.origin !== StoneOrigin.LAB_GROWN && treatments.includes(Treatment.CVD_POST_GROWTH)) {
      errors.add([...at, "treatments"], "CVD post-growth treatment applies only to lab-grown stones", UserErrorCode.INVALID);
    }
    return { type: s.type, shape: s.shape, count: s.count, totalCarat: s.totalCarat, origin: s.origin, treatments: treatments.filter((t) => t !== Treatment.NONE) };
  });
}

/**
 * Checks a plating as it is made (docs/domain.md, "Plating and its names"): none has neither karat
 * nor thickness; any other has a thickness above 0 and at most 50 µm; gold has a karat of 10 to 24
 * (below 10 karat it may not be called gold), and no other plating has one. `paths` name the
 * karat and thickness fields of the input.
 */
export function checkPlating(
  errors: UserErrors,
  paths: { karat: readonly (string | number)[]; thickness: readonly (string | number)[] },
  plating: Pick<PlatingInput, "type" | "karat" | "thicknessMicrons">,
): PlatingRow {
  const { type } = plating;
  let karats: number | null = null;
  if (isGoldPlating(type)) {
    if (plating.karat != null && Number.isInteger(plating.karat) && plating.karat < PLATING_KARAT.min) {
      errors.add(paths.karat, `Below ${PLATING_KARAT.min} karat a plating may not be called gold: give ${PLATING_KARAT.min} to ${PLATING_KARAT.max}`, UserErrorCode.OUT_OF_RANGE);
    } else {
      karats = validate.integer(errors, paths.karat, plating.karat, { ...PLATING_KARAT, label: "Karat of a gold plating" }) ?? null;
    }
  } else if (plating.karat != null) {
    errors.add(paths.karat, type === Plating.NONE ? "Without plating there is no plating karat" : `A ${type} plating has no karat`, UserErrorCode.INVALID);
  }
  let thickness: string | null = null;
  if (type === Plating.NONE) {
    if (plating.thicknessMicrons != null) errors.add(paths.thickness, "Without plating there is no plating thickness", UserErrorCode.INVALID);
  } else {
    const given = validate.decimal(errors, paths.thickness, plating.thicknessMicrons, { scale: 3, min: 0, max: 50, exclusiveMin: true, label: "Plating thickness" });
    thickness = given ? threeDecimals(given) : null;
  }
  return { type, karat: karats, thicknessMicrons: thickness };
}

const MAX_PLATING_OFFERS = 5;
const MAX_STONE_OFFERS = 15;

/** Offered platings and stones, each stated as it is made and offered once per type. */
function checkOffers(errors: UserErrors, options: NonNullable<UpsertProductInput["customizationOptions"]>): { platingOffers: PlatingRow[]; stoneOffers: StoneRow[] } {
  const path = ["input", "customizationOptions"];
  const platings = options.platingOffers ?? [];
  if (platings.length > MAX_PLATING_OFFERS) errors.add([...path, "platingOffers"], `At most ${MAX_PLATING_OFFERS} platings`, UserErrorCode.TOO_LONG);
  const platingOffers = platings.slice(0, MAX_PLATING_OFFERS).map((o, i) => {
    const at = [...path, "platingOffers", i];
    if (platings.findIndex((other) => other.type === o.type) < i) errors.add([...at, "type"], `${o.type} is offered twice`, UserErrorCode.INVALID);
    return checkPlating(errors, { karat: [...at, "karat"], thickness: [...at, "thicknessMicrons"] }, o);
  });
  const stones = options.stoneOffers ?? [];
  if (stones.length > MAX_STONE_OFFERS) errors.add([...path, "stoneOffers"], `At most ${MAX_STONE_OFFERS} stones`, UserErrorCode.TOO_LONG);
  const kept = stones.slice(0, MAX_STONE_OFFERS);
  kept.forEach((o, i) => {
    if (kept.findIndex((other) => other.type === o.type) < i) errors.add([...path, "stoneOffers", i, "type"], `${o.type} is offered twice`, UserErrorCode.INVALID);
  });
  return { platingOffers, stoneOffers: validStones(errors, kept, [...path, "stoneOffers"]) };
}

export async function upsertProduct(ctx: RequestContext, input: UpsertProductInput): Promise<UpsertProductPayload> {
  const errors = new UserErrors();
  const styleCode = validate.text(errors, ["input", "styleCode"], input.styleCode, { max: 40, label: "Style code" })?.toUpperCase();
  if (styleCode && !STYLE_CODE.test(styleCode)) errors.add(["input", "styleCode"], "Style code may hold only letters, digits and dashes", UserErrorCode.INVALID);
  const name = validate.text(errors, ["input", "name"], input.name, { max: 200, label: "Name" });
  const description = validate.text(errors, ["input", "description"], input.description, { min: 0, max: 5000, label: "Description" }) ?? "";
  const collection = input.collection ? validate.text(errors, ["input", "collection"], input.collection, { max: 100, label: "Collection" }) : null;

  const fineness = input.fineness ?? null;
  checkFineness(errors, input.metal, fineness);

  const plating = checkPlating(
    errors,
    { karat: ["input", "platingKarat"], thickness: ["input", "platingThicknessMicrons"] },
    { type: input.plating, karat: input.platingKarat, thicknessMicrons: input.platingThicknessMicrons },
  );

  const stones = validStones(errors, input.stones ?? []);
  const hsCode = normalizeHsCode(input.hsCode ?? "");
  if (!hsCode) errors.add(["input", "hsCode"], "HS code must be 6, 8 or 10 digits (dots allowed), e.g. 7113.19", UserErrorCode.INVALID);
  else {
    // An HS 2022 subheading of chapter 71 that fits the piece (docs/domain.md, "HS codes").
    const problem = hsCodeProblem(hsCode, { metal: input.metal, category: input.category, stones });
    if (problem) errors.add(["input", "hsCode"], problem, UserErrorCode.INVALID);
  }
  validate.integer(errors, ["input", "standardLeadTimeDays"], input.standardLeadTimeDays, { min: 0, max: 365, label: "Standard lead time" });
  validate.integer(errors, ["input", "minimumOrderQuantity"], input.minimumOrderQuantity, { min: 1, max: 10_000, label: "Minimum order quantity" });
  const recycled =
    input.recycledMetalPercent != null
      ? (validate.decimal(errors, ["input", "recycledMetalPercent"], input.recycledMetalPercent, { scale: 2, min: 0, max: 100, label: "Recycled metal share" }) ?? null)
      : null;
  const rjcNumber = input.rjcCertification
    ? validate.text(errors, ["input", "rjcCertification", "certificateNumber"], input.rjcCertification.certificateNumber, { max: 60, label: "Certificate number" })
    : null;
  const images = input.images ?? [];
  if (images.length > MAX_IMAGES) errors.add(["input", "images"], `At most ${MAX_IMAGES} images`, UserErrorCode.TOO_LONG);
  const imageRows = images.slice(0, MAX_IMAGES).map((img, i) => ({
    url: validate.httpsUrl(errors, ["input", "images", i, "url"], img.url, "Image URL") ?? "",
    altText: validate.text(errors, ["input", "images", i, "altText"], img.altText, { max: 300, label: "Alt text" }) ?? "",
  }));
  const options = input.customizationOptions;
  if (options) validate.integer(errors, ["input", "customizationOptions", "engravingMaxLength"], options.engravingMaxLength, { min: 0, max: 200, label: "Engraving length" });
  const offers = options ? checkOffers(errors, options) : null;
  if (errors.any || !styleCode || !name || !hsCode) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const values = {
      styleCode,
      name,
      description,
      category: input.category,
      collection: collection ?? null,
      metal: input.metal,
      fineness,
      plating: plating.type,
      platingThicknessMicrons: plating.thicknessMicrons,
      platingKarat: plating.karat,
      stones,
      hsCode,
      countryOfOrigin: input.countryOfOrigin,
      standardLeadTimeDays: input.standardLeadTimeDays,
      minimumOrderQuantity: input.minimumOrderQuantity,
      recycledMetalPercent: recycled,
      rjcCertificationType: input.rjcCertification?.type ?? null,
      rjcCertificateNumber: rjcNumber ?? null,
      images: imageRows,
      customizationOptions:
        options && offers
          ? { customSizes: options.customSizes, ...offers, branding: options.branding, engravingMaxLength: options.engravingMaxLength }
          : {},
      discontinued: input.discontinued,
    };
    const existing = await tx.db.findOneBy(Product, { styleCode });
    if (existing) {
      if (existing.category !== input.category && (await tx.db.existsBy(Variant, { productId: existing.id }))) {
        // Sizes are category-specific (ring sizes, chain lengths); re-categorising would orphan them.
        throw new Rejected(userError(["input", "category"], "The category of a style with variants cannot change", UserErrorCode.NOT_ALLOWED));
      }
      await tx.db.update(Product, { id: existing.id }, values);
    } else {
      await tx.db.insert(Product, values);
    }
    return { product: (await tx.db.findOneBy(Product, { styleCode }))!, userErrors: [] };
  }, { unique: { products_style_code_key: { field: ["input", "styleCode"], message: "This style code was just created by someone else; retry to update it" } } });
}

export async function upsertVariant(ctx: RequestContext, input: UpsertVariantInput): Promise<UpsertVariantPayload> {
  const errors = new UserErrors();
  const sku = validate.text(errors, ["input", "sku"], input.sku, { max: 40, label: "SKU" })?.toUpperCase();
  if (sku && !SKU.test(sku)) errors.add(["input", "sku"], "SKU may hold only letters, digits, dots, dashes and underscores", UserErrorCode.INVALID);
  const gtin = input.gtin?.trim() || null;
  if (gtin && !isValidGtin(gtin)) errors.add(["input", "gtin"], "GTIN must be 8, 12, 13 or 14 digits with a valid GS1 check digit", UserErrorCode.INVALID);
  const weight = validate.decimal(errors, ["input", "metalWeightGrams"], input.metalWeightGrams, { scale: 3, min: 0, max: 10_000, exclusiveMin: true, label: "Metal weight" });
  const ringSize = input.ringSizeMm != null ? validate.decimal(errors, ["input", "ringSizeMm"], input.ringSizeMm, { scale: 1, min: 38, max: 80, label: "Ring size" }) : null;
  const chainLength = input.chainLengthMm != null ? validate.integer(errors, ["input", "chainLengthMm"], input.chainLengthMm, { min: 100, max: 2000, label: "Chain length" }) : null;
  const productId = idOfType(input.productId, "Product");
  const product = productId ? await ctx.db.findOneBy(Product, { id: productId }) : null;
  if (!product) errors.add(["input", "productId"], "No product with this id", UserErrorCode.NOT_FOUND);
  if (product && ringSize != null && product.category !== Category.RING) errors.add(["input", "ringSizeMm"], "Only rings have a ring size", UserErrorCode.INVALID);
  if (product && chainLength != null && !CHAIN_CATEGORIES.includes(product.category)) {
    errors.add(["input", "chainLengthMm"], "Only chains, necklaces, pendants and bracelets have a length", UserErrorCode.INVALID);
  }
  if (errors.any || !sku || !weight || !product) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const existing = await tx.db.findOneBy(Variant, { sku });
    if (existing && existing.productId !== product.id) {
      throw new Rejected(userError(["input", "sku"], "This SKU belongs to another product", UserErrorCode.TAKEN));
    }
    if (gtin) {
      const holder = await tx.db.findOneBy(Variant, { gtin });
      if (holder && holder.sku !== sku) throw new Rejected(userError(["input", "gtin"], `GTIN is already used by ${holder.sku}`, UserErrorCode.TAKEN));
    }
    const values = { productId: product.id, sku, gtin, ringSizeMm: ringSize ?? null, chainLengthMm: chainLength ?? null, metalWeightGrams: weight, discontinued: input.discontinued };
    if (existing) {
      await tx.db.update(Variant, { id: existing.id }, values);
    } else {
      const { identifiers } = await tx.db.insert(Variant, values);
      await tx.db.insert(StockLevel, { variantId: identifiers[0].id as string });
    }
    // A change to a variant is a change to its product, for clients syncing with updatedSince.
    await tx.db.update(Product, { id: product.id }, { updatedAt: () => "now()" });
    return { variant: (await tx.db.findOneBy(Variant, { sku }))!, userErrors: [] };
  }, {
    unique: {
      variants_sku_key: { field: ["input", "sku"], message: "This SKU was just created by someone else; retry to update it" },
      variants_gtin_key: { field: ["input", "gtin"], message: "GTIN is already used by another variant" },
    },
  });
}

async function variantFor(ctx: RequestContext, globalId: string): Promise<Variant> {
  const id = idOfType(globalId, "Variant");
  const variant = id ? await ctx.db.findOneBy(Variant, { id }) : null;
  if (!variant) throw new Rejected(userError(["input", "variantId"], "No variant with this id", UserErrorCode.NOT_FOUND));
  return variant;
}

export async function adjustStock(ctx: RequestContext, input: AdjustStockInput): Promise<AdjustStockPayload> {
  const errors = new UserErrors();
  if (!Number.isInteger(input.delta) || input.delta === 0 || Math.abs(input.delta) > 100_000) {
    errors.add(["input", "delta"], "Delta must be a non-zero whole number from -100000 to 100000", UserErrorCode.OUT_OF_RANGE);
  }
  const reason = validate.text(errors, ["input", "reason"], input.reason, { min: 3, max: 500, label: "Reason" });
  if (errors.any || !reason) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const variant = await variantFor(tx, input.variantId);
    // One statement decides and applies the change, so concurrent adjustments and reservations
    // can never take on-hand stock below zero or below what orders have reserved.
    // For UPDATE … RETURNING the postgres driver answers [rows, affected count].
    const [rows] = (await tx.db.query(
      `UPDATE stock_levels SET on_hand = on_hand + $2, updated_at = now()
       WHERE variant_id = $1 AND on_hand + $2 >= reserved
       RETURNING on_hand`,
      [variant.id, input.delta],
    )) as [{ on_hand: number }[], number];
    const updated = rows[0];
    if (!updated) {
      const stock = await tx.db.findOneByOrFail(StockLevel, { variantId: variant.id });
      throw new Rejected(
        userError(["input", "delta"], `Stock cannot go below what is reserved: ${stock.onHand} on hand, ${stock.reserved} reserved`, UserErrorCode.OUT_OF_RANGE),
      );
    }
    await tx.db.insert(StockMovement, { variantId: variant.id, delta: input.delta, onHandAfter: updated.on_hand, reason, actorUserId: tx.principal?.kind === "user" ? tx.principal.id : null });
    await availabilityChanged(tx, [variant.id]);
    return { variant, userErrors: [] };
  });
}

export async function scheduleProductionBatch(ctx: RequestContext, input: ScheduleProductionBatchInput): Promise<ScheduleProductionBatchPayload> {
  const errors = new UserErrors();
  validate.integer(errors, ["input", "quantity"], input.quantity, { min: 1, max: 100_000, label: "Quantity" });
  const today = exporterToday(ctx);
  const latest = addCalendarDays(today, 2 * 366);
  if (input.readyDate < today) errors.add(["input", "readyDate"], `Ready date must be today (${today}) or later`, UserErrorCode.OUT_OF_RANGE);
  if (input.readyDate > latest) errors.add(["input", "readyDate"], "Ready date must be within two years", UserErrorCode.OUT_OF_RANGE);
  const description = validate.text(errors, ["input", "description"], input.description, { max: 200, label: "Description" });
  if (errors.any || !description) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const variant = await variantFor(tx, input.variantId);
    if (variant.discontinued) throw new Rejected(userError(["input", "variantId"], "The variant is discontinued", UserErrorCode.INVALID_STATE));
    // A discontinued style is no longer made, whatever its variants say (as availability and quotes treat it).
    if ((await tx.db.findOneByOrFail(Product, { id: variant.productId })).discontinued) {
      throw new Rejected(userError(["input", "variantId"], "The style of this variant is discontinued", UserErrorCode.INVALID_STATE));
    }
    await tx.db.insert(ProductionBatch, { variantId: variant.id, quantity: input.quantity, readyDate: input.readyDate, description });
    return { variant, userErrors: [] };
  });
}

export async function setPrice(ctx: RequestContext, input: SetPriceInput): Promise<SetPricePayload> {
  const errors = new UserErrors();
  const amount = validate.decimal(errors, ["input", "amount"], input.amount, {
    scale: minorUnits(input.currency),
    min: 0,
    max: 1_000_000_000,
    exclusiveMin: true,
    label: `A ${input.currency} amount`,
  });
  const distributorId = idOfType(input.distributorId, "Distributor");
  const distributor = distributorId ? await ctx.db.findOneBy(Distributor, { id: distributorId }) : null;
  if (!distributor) errors.add(["input", "distributorId"], "No distributor with this id", UserErrorCode.NOT_FOUND);
  else if (distributor.currency !== input.currency) {
    errors.add(["input", "currency"], `Prices for ${distributor.name} are in its contract currency, ${distributor.currency}`, UserErrorCode.INVALID);
  }
  if (errors.any || !amount || !distributor) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    const variant = await variantFor(tx, input.variantId);
    // The price before and the write in one statement. The same price again writes nothing: its
    // updated_at (stamped by a trigger, for the sync) stays, and no event tells of a change.
    const [{ old_amount: oldAmount, old_currency: oldCurrency, changed }] = await sql<{ old_amount: string | null; old_currency: CurrencyCode | null; changed: boolean }>(
      tx.db,
      `WITH old AS (SELECT amount, currency FROM variant_prices WHERE distributor_id = $1 AND variant_id = $2 FOR UPDATE),
            written AS (
              INSERT INTO variant_prices (distributor_id, variant_id, amount, currency) VALUES ($1, $2, $3, $4)
              ON CONFLICT (distributor_id, variant_id) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency
              WHERE (variant_prices.amount, variant_prices.currency) IS DISTINCT FROM (EXCLUDED.amount, EXCLUDED.currency)
              RETURNING 1)
       SELECT (SELECT amount FROM old) AS old_amount, (SELECT currency FROM old) AS old_currency, EXISTS (SELECT 1 FROM written) AS changed`,
      [distributor.id, variant.id, amount, input.currency],
    );
    const price = money(amount, input.currency);
    if (changed) {
      // Only the distributor whose price list it is hears of it (and staff).
      await recordEvents(tx, [
        {
          type: "variant.price_changed",
          distributorId: distributor.id,
          subjectId: variant.id,
          data: {
            variantId: variant.globalId,
            productId: toGlobalId("Product", variant.productId),
            sku: variant.sku,
            // Prices are per distributor: its id names the price list.
            distributorId: distributor.globalId,
            price,
            previousPrice: oldAmount && oldCurrency ? money(oldAmount, oldCurrency) : null,
          },
        },
      ]);
    }
    return { variant, price, userErrors: [] as UserError[] };
  });
}

export const MAX_QUANTITY_BREAKS = 10;
const MAX_BREAK_QUANTITY = 100_000;

/**
 * Replaces a style's quantity breaks in a distributor's price list. Breaks go up in quantity
 * (each above the one before, from 2) and down, or level, in price, in the list's currency. The
 * rows written are the difference only (a break kept as it was is not written again), so the
 * audit log, which records every row an export manager writes, shows what changed.
 */
export async function setQuantityBreaks(ctx: RequestContext, input: SetQuantityBreaksInput): Promise<SetQuantityBreaksPayload> {
  const errors = new UserErrors();
  const distributorId = idOfType(input.distributorId, "Distributor");
  const productId = idOfType(input.productId, "Product");
  const [distributor, product] = await Promise.all([
    distributorId ? ctx.db.findOneBy(Distributor, { id: distributorId }) : null,
    productId ? ctx.db.findOneBy(Product, { id: productId }) : null,
  ]);
  if (!distributor) errors.add(["input", "distributorId"], "No distributor with this id", UserErrorCode.NOT_FOUND);
  if (!product) errors.add(["input", "productId"], "No product with this id", UserErrorCode.NOT_FOUND);
  const breaks = input.breaks ?? [];
  if (breaks.length > MAX_QUANTITY_BREAKS) errors.add(["input", "breaks"], `At most ${MAX_QUANTITY_BREAKS} quantity breaks`, UserErrorCode.TOO_LONG);
  // Without the distributor its currency is unknown: amounts are checked to the stored scale.
  const currency = distributor?.currency ?? null;
  const rows: { minQuantity: number; unitPrice: string }[] = [];
  breaks.slice(0, MAX_QUANTITY_BREAKS).forEach((b, i) => {
    const path = ["input", "breaks", i];
    const quantity = validate.integer(errors, [...path, "minQuantity"], b.minQuantity, { min: 2, max: MAX_BREAK_QUANTITY, label: "Break quantity" });
    const price = validate.decimal(errors, [...path, "unitPrice"], b.unitPrice, {
      scale: currency ? minorUnits(currency) : 4,
      min: 0,
      max: 1_000_000_000,
      exclusiveMin: true,
      label: currency ? `A ${currency} break price` : "A break price",
    });
    const before = i > 0 ? breaks[i - 1] : null;
    if (quantity !== undefined && before && Number.isInteger(before.minQuantity) && quantity <= before.minQuantity) {
      errors.add([...path, "minQuantity"], `Breaks go up in quantity: ${quantity} is not above ${before.minQuantity}`, UserErrorCode.INVALID);
    }
    if (price !== undefined && before && validDecimal(before.unitPrice) && toScaled(price) > toScaled(before.unitPrice)) {
      errors.add([...path, "unitPrice"], `A break costs no more than the one before: ${price} is above ${before.unitPrice}`, UserErrorCode.INVALID);
    }
    if (quantity !== undefined && price !== undefined) rows.push({ minQuantity: quantity, unitPrice: price });
  });
  if (errors.any || !distributor || !product) return { userErrors: errors.list };

  return mutate(ctx, async (tx) => {
    // One writer of a style's breaks in a list at a time: two replacements must not interleave
    // their deletions and insertions into a mix of both.
    await sql(tx.db, `SELECT pg_advisory_xact_lock(hashtext('facet:quantity-breaks:' || $1 || ':' || $2))`, [distributor.id, product.id]);
    // Breaks no longer given are removed; those given are written unless they are already so.
    await sql(
      tx.db,
      `WITH removed AS (
         DELETE FROM quantity_breaks WHERE distributor_id = $1 AND product_id = $2 AND min_quantity <> ALL($3::int[]) RETURNING 1)
       INSERT INTO quantity_breaks (distributor_id, product_id, min_quantity, unit_price, currency)
       SELECT $1, $2, w.min_quantity, w.unit_price, $5 FROM unnest($3::int[], $4::numeric[]) AS w(min_quantity, unit_price)
       ON CONFLICT (distributor_id, product_id, min_quantity) DO UPDATE SET unit_price = EXCLUDED.unit_price, currency = EXCLUDED.currency
       WHERE (quantity_breaks.unit_price, quantity_breaks.currency) IS DISTINCT FROM (EXCLUDED.unit_price, EXCLUDED.currency)`,
      [distributor.id, product.id, rows.map((r) => r.minQuantity), rows.map((r) => r.unitPrice), distributor.currency],
    );
    const written = await tx.db.find(PriceBreak, { where: { distributorId: distributor.id, productId: product.id }, order: { minQuantity: "ASC" } });
    return { product, quantityBreaks: written.map(quantityBreakView), userErrors: [] as UserError[] };
  });
}

/** Whether a value is a decimal toScaled reads (an earlier break's price, for the comparison with the next). */
function validDecimal(value: string | null | undefined): value is string {
  return typeof value === "string" && /^\d+(\.\d{1,4})?$/.test(value);
}
