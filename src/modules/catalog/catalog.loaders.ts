import type { LoaderFactory, ScopedLoaderFactory } from "../../db/loaders";
import type { RequestContext } from "../../core/context";
import { batchLoader, groupedReader, groupLoader, keyedRows, rowLoader } from "../../db/loaders";
import { rowsOf } from "../../db/rows";
import type { Projection } from "../../db/projection";
import { exporterToday } from "../calendar";
import { Product } from "./product.entity";
import { PriceBreak } from "./quantity-break.entity";
import { BatchStatus, ProductionBatch, StockLevel, VariantPrice } from "./stock.entity";
import { Variant } from "./variant.entity";

// The catalog itself is shared by every distributor; only prices are per distributor.

export const productById: LoaderFactory<string, Product | null> = (ctx, projection) =>
  rowLoader((ids) => rowsOf(ctx.db, Product, ctx.db.createQueryBuilder(Product, "p").where("p.id = ANY(:ids)", { ids }), projection), (p) => p.id);

export const variantById: LoaderFactory<string, Variant | null> = (ctx) =>
  rowLoader((ids) => rowsOf(ctx.db, Variant, ctx.db.createQueryBuilder(Variant, "v").where("v.id = ANY(:ids)", { ids })), (v) => v.id);

const variantRows = (ctx: RequestContext, projection: Projection | null) => keyedRows(ctx, Variant, projection, { from: "variants", key: "product_id", orderBy: "sku" });

export const variantsByProduct: LoaderFactory<string, Variant[]> = (ctx, projection) => groupLoader(variantRows(ctx, projection), (v) => v.productId);

/** The variants of each of the products, by SKU: what variantsByProduct loads, for a caller that has the whole list at hand. */
export const variantsReader = (ctx: RequestContext, projection: Projection | null): ((productIds: readonly string[]) => Promise<Map<string, Variant[]>>) =>
  groupedReader(variantRows(ctx, projection), (v) => v.productId);

/** A variant's stock row and its scheduled batches, soonest first: what availability and quotes read. */
export interface Supply {
  stock: StockLevel | null;
  batches: ProductionBatch[];
}

/**
 * The supply of each of the variants, in two statements asked at once (they go to PostgreSQL
 * together, see db/data-source.ts): what supplyByVariant loads, for a caller that has the whole list at hand.
 * Batches are those still to come on the exporter's calendar: ready today (its today) or later.
 */
export function supplyReader(ctx: RequestContext): (ids: readonly string[]) => Promise<Map<string, Supply>> {
  const levels = keyedRows(ctx, StockLevel, null, { from: "stock_levels", key: "variant_id" });
  const scheduled = keyedRows(ctx, ProductionBatch, null, {
    from: "production_batches",
    key: "variant_id",
    where: "status = $2 AND ready_date >= $3",
    orderBy: "ready_date, id",
  });
  return async (ids) => {
    const [stock, batches] = await Promise.all([levels(ids), scheduled(ids, BatchStatus.SCHEDULED, exporterToday(ctx))]);
    const supply = new Map<string, Supply>(ids.map((id) => [id, { stock: null, batches: [] }]));
    for (const level of stock) supply.get(level.variantId)!.stock = level;
    for (const batch of batches) supply.get(batch.variantId)!.batches.push(batch);
    return supply;
  };
}

export const supplyByVariant: LoaderFactory<string, Supply> = (ctx) => {
  const read = supplyReader(ctx);
  return batchLoader(async (ids) => {
    const supply = await read(ids);
    return ids.map((id) => supply.get(id)!);
  });
};

/** The variants' prices in one distributor's list, by variant id (none there: absent). */
export function priceReader(ctx: RequestContext, distributorId: string): (variantIds: readonly string[]) => Promise<Map<string, VariantPrice>> {
  const prices = keyedRows(ctx, VariantPrice, null, { from: "variant_prices", key: "variant_id", where: "distributor_id = $2" });
  return async (variantIds) => new Map((await prices(variantIds, distributorId)).map((price) => [price.variantId, price]));
}

/** A distributor's price list (the scope), keyed by variant id; callers decide whose prices may be asked for. */
export const priceInList: ScopedLoaderFactory<string, VariantPrice | null> = (ctx, distributorId) => {
  const read = priceReader(ctx, distributorId);
  return batchLoader(async (variantIds) => {
    const prices = await read(variantIds);
    return variantIds.map((id) => prices.get(id) ?? null);
  });
};

/** The styles' quantity breaks in one distributor's list, by product id, each style's by ascending quantity (none: absent). */
export function breaksReader(ctx: RequestContext, distributorId: string): (productIds: readonly string[]) => Promise<Map<string, PriceBreak[]>> {
  const rows = keyedRows(ctx, PriceBreak, null, { from: "quantity_breaks", key: "product_id", where: "distributor_id = $2", orderBy: "product_id, min_quantity" });
  return groupedReader((productIds: readonly string[]) => rows(productIds, distributorId), (b) => b.productId);
}

/** A distributor's quantity breaks (the scope), keyed by product id: one statement for a page's styles; callers decide whose list may be asked for. */
export const breaksInList: ScopedLoaderFactory<string, PriceBreak[]> = (ctx, distributorId) => {
  const read = breaksReader(ctx, distributorId);
  return batchLoader(async (productIds) => {
    const breaks = await read(productIds);
    return productIds.map((id) => breaks.get(id) ?? []);
  });
};
