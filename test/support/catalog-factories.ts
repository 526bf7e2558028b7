import type { DataSource } from "typeorm";
import { toGlobalId } from "../../src/graphql/node";
import type { Distributor } from "../../src/modules/accounts";
import { ProductionBatch, StockLevel, VariantPrice } from "../../src/modules/catalog";
import { Category, Metal, Plating } from "../../src/modules/catalog/catalog.enums";
import { Product, type StoneRow } from "../../src/modules/catalog/product.entity";
import { Variant } from "../../src/modules/catalog/variant.entity";
import { addCalendarDays } from "../../src/modules/calendar";
import { exporterToday } from "./calendar";
import { unique } from "./factories";

export interface ProductSpec extends Partial<Omit<Product, "stones" | "id">> {
  stones?: StoneRow[];
}

/** A product straight in the database (no validation): unique style code, gold 750 ring by default. */
export async function createProduct(ds: DataSource, spec: ProductSpec = {}): Promise<Product> {
  const styleCode = spec.styleCode ?? unique("ST").toUpperCase();
  const { identifiers } = await ds.manager.insert(Product, {
    name: `Style ${styleCode}`,
    category: Category.RING,
    metal: Metal.GOLD,
    fineness: 750,
    plating: Plating.NONE,
    hsCode: "711319",
    countryOfOrigin: "IN",
    standardLeadTimeDays: 10,
    minimumOrderQuantity: 1,
    ...spec,
    styleCode,
    stones: spec.stones ?? [],
  });
  return ds.manager.findOneByOrFail(Product, { id: identifiers[0].id as string });
}

export interface VariantSpec extends Partial<Omit<Variant, "id" | "productId">> {
  onHand?: number;
  reserved?: number;
  lowStockThreshold?: number;
}

/** A variant with its stock row. */
export async function createVariant(ds: DataSource, product: Product, spec: VariantSpec = {}): Promise<Variant> {
  const { onHand = 0, reserved = 0, lowStockThreshold = 5, ...columns } = spec;
  const { identifiers } = await ds.manager.insert(Variant, {
    productId: product.id,
    sku: unique(product.styleCode).toUpperCase(),
    metalWeightGrams: "3.000",
    ...columns,
  });
  const variantId = identifiers[0].id as string;
  await ds.manager.insert(StockLevel, { variantId, onHand, reserved, lowStockThreshold });
  return ds.manager.findOneByOrFail(Variant, { id: variantId });
}

export async function createBatch(ds: DataSource, variant: Variant, spec: Partial<ProductionBatch> & { readyDate: string; quantity: number }): Promise<ProductionBatch> {
  return ds.manager.save(ds.manager.create(ProductionBatch, { variantId: variant.id, description: "casting run", ...spec }));
}

export async function setPrice(ds: DataSource, distributor: Distributor, variant: Variant, amount: string): Promise<void> {
  await ds.manager.insert(VariantPrice, { distributorId: distributor.id, variantId: variant.id, amount, currency: distributor.currency });
}

export const productId = (p: Product) => toGlobalId("Product", p.id);
export const variantId = (v: Variant) => toGlobalId("Variant", v.id);

/** YYYY-MM-DD, `days` calendar days from the exporter's today (see ./calendar.ts). */
export function dateFromToday(days: number): string {
  return addCalendarDays(exporterToday(), days);
}
