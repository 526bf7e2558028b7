import { Readers } from "../../core/access";
import { loader } from "../../db/loaders";
import { registerNode } from "../../graphql/node";
import { AVAILABILITY_EVENTS } from "./availability-events";
import { productById, variantById } from "./catalog.loaders";
import { ProductResolver, VariantResolver } from "./catalog.resolver";
import { Product } from "./product.entity";
import { ProductionBatch, StockLevel, StockMovement, VariantPrice } from "./stock.entity";
import { PriceBreak } from "./quantity-break.entity";
import { Variant } from "./variant.entity";

registerNode(Product, "Product", Readers.CATALOG, (ctx, id) => loader(ctx, productById).load(id));
registerNode(Variant, "Variant", Readers.CATALOG, (ctx, id) => loader(ctx, variantById).load(id));

export const catalogEntities = [Product, Variant, StockLevel, StockMovement, ProductionBatch, VariantPrice, PriceBreak];
export const catalogResolvers = [ProductResolver, VariantResolver] as const;
export const catalogJobs = [AVAILABILITY_EVENTS];

export { Product, Variant, StockLevel, ProductionBatch, VariantPrice, PriceBreak };
export { Category, Metal, Plating, StoneOrigin, StoneType, Treatment } from "./catalog.enums";
export { PlatingInput, StoneInput } from "./catalog.inputs";
export { variantById } from "./catalog.loaders";
export { availabilityChanged } from "./availability-events";
export { checkFineness, checkPlating, compositionOfVariant, compositionView, stonesOf, validStones, type PieceChanges } from "./catalog.service";
export { Composition, HsCode, Stone, StyleQuantityBreak } from "./catalog.types";
export { breaksReader } from "./catalog.loaders";
export { quantityBreakView } from "./catalog.service";
export { unitPriceWithBreaks } from "./quantity-breaks";
export { WDC_SOW_STATEMENT, containsNaturalDiamond, displayName, formatHsCode, karat, stoneDisplayName, threeDecimals } from "./jewelry";
export { HS2022_CHAPTER_71, ROUGH_DIAMOND_SUBHEADINGS, defaultSubheading, hsCodeProblem, subheadingsFor, type HsPiece } from "./hs-codes";
export { quoteLeadTime, reservableFromStock, type ReservationLimits } from "./lead-time";
export type { CompositionRow, PlatingRow, StoneRow } from "./product.entity";
