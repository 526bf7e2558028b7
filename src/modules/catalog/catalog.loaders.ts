import type { LoaderFactory } from "../../graphql/context";
import { groupLoader, rowLoader } from "../../graphql/loaders";
import { rowsOf } from "../../db/rows";
import { SQL_TODAY_UTC } from "../../db/sql";
import { Product } from "./product.entity";
import { BatchStatus, ProductionBatch, StockLevel, VariantPrice } from "./stock.entity";
import { Variant } from "./variant.entity";

// The catalog itself is shared by every distributor; only prices are per distributor.

export const productById: LoaderFactory<string, Product | null> = (ctx, projection) =>
  rowLoader((ids) => rowsOf(ctx.db.createQueryBuilder(Product, "p").where("p.id = ANY(:ids)", { ids }), projection), (p) => p.id);

export const variantById: LoaderFactory<string, Variant | null> = (ctx) =>
  rowLoader((ids) => rowsOf(ctx.db.createQueryBuilder(Variant, "v").where("v.id = ANY(:ids)", { ids })), (v) => v.id);

export const variantsByProduct: LoaderFactory<string, Variant[]> = (ctx, projection) =>
  groupLoader(
    (ids) => rowsOf(ctx.db.createQueryBuilder(Variant, "v").where("v.productId = ANY(:ids)", { ids }).orderBy("v.sku"), projection),
    (v) => v.productId,
  );

export const stockByVariant: LoaderFactory<string, StockLevel | null> = (ctx) =>
  rowLoader((ids) => rowsOf(ctx.db.createQueryBuilder(StockLevel, "s").where("s.variantId = ANY(:ids)", { ids })), (s) => s.variantId);

export const incomingBatchesByVariant: LoaderFactory<string, ProductionBatch[]> = (ctx) =>
  groupLoader(
    (ids) =>
      rowsOf(
        ctx.db
          .createQueryBuilder(ProductionBatch, "b")
          .where("b.variantId = ANY(:ids)", { ids })
          .andWhere("b.status = :status", { status: BatchStatus.SCHEDULED })
          .andWhere(`b.readyDate >= ${SQL_TODAY_UTC}`)
          .orderBy("b.readyDate")
          .addOrderBy("b.id"),
      ),
    (b) => b.variantId,
  );

/** Keyed by `${distributorId}:${variantId}`; callers decide whose prices may be asked for. */
export const priceByDistributorVariant: LoaderFactory<string, VariantPrice | null> = (ctx) =>
  rowLoader(
    (keys) => {
      const distributorIds = [...new Set(keys.map((k) => k.split(":")[0]))];
      const variantIds = [...new Set(keys.map((k) => k.split(":")[1]))];
      return rowsOf(
        ctx.db
          .createQueryBuilder(VariantPrice, "pr")
          .where("pr.distributorId = ANY(:distributorIds)", { distributorIds })
          .andWhere("pr.variantId = ANY(:variantIds)", { variantIds }),
      );
    },
    (pr) => `${pr.distributorId}:${pr.variantId}`,
  );
