import { ApiScope, permits, Roles } from "../../graphql/access";
import { loader, type RequestContext } from "../../graphql/context";
import { registerNode } from "../../graphql/node";
import { productById, variantById } from "./catalog.loaders";
import { ProductResolver, VariantResolver } from "./catalog.resolver";
import { Product } from "./product.entity";
import { ProductionBatch, StockLevel, StockMovement, VariantPrice } from "./stock.entity";
import { Variant } from "./variant.entity";

// node(id:) applies the same rule as the catalog queries: an API client needs catalog:read.
const mayRead = (ctx: RequestContext) => permits(ctx, [...Roles.ALL, ApiScope.CATALOG_READ]);
registerNode(Product, "Product", async (ctx, id) => (mayRead(ctx) ? loader(ctx, productById).load(id) : null));
registerNode(Variant, "Variant", async (ctx, id) => (mayRead(ctx) ? loader(ctx, variantById).load(id) : null));

export const catalogEntities = [Product, Variant, StockLevel, StockMovement, ProductionBatch, VariantPrice];
export const catalogResolvers = [ProductResolver, VariantResolver] as const;

export { Product, Variant, StockLevel, ProductionBatch, VariantPrice };
