import { Readers } from "../../graphql/access";
import { loader } from "../../graphql/context";
import { registerNode } from "../../graphql/node";
import { productById, variantById } from "./catalog.loaders";
import { ProductResolver, VariantResolver } from "./catalog.resolver";
import { Product } from "./product.entity";
import { ProductionBatch, StockLevel, StockMovement, VariantPrice } from "./stock.entity";
import { Variant } from "./variant.entity";

registerNode(Product, "Product", Readers.CATALOG, (ctx, id) => loader(ctx, productById).load(id));
registerNode(Variant, "Variant", Readers.CATALOG, (ctx, id) => loader(ctx, variantById).load(id));

export const catalogEntities = [Product, Variant, StockLevel, StockMovement, ProductionBatch, VariantPrice];
export const catalogResolvers = [ProductResolver, VariantResolver] as const;

export { Product, Variant, StockLevel, ProductionBatch, VariantPrice };
