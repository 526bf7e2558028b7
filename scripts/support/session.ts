import type { Credentials } from "./facet";
import { graphql, type Actor } from "./http";

// A buyer's session as a client opens it: signing in, and the catalog it can order from.

/** A setup step that failed: the run stops with a non-zero exit code. */
export class SetupError extends Error {}

/** `login` over HTTP; its access token, or a SetupError naming the account's `role` in the run. */
export async function signIn(base: URL, from: Actor, who: Credentials, role: string): Promise<string> {
  const answer = await graphql(base, from, `mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code message } } }`, { input: who });
  const payload = (answer.json as { data?: { login?: { accessToken?: string | null; userErrors?: { code: string }[] } } } | undefined)?.data?.login;
  if (!payload?.accessToken) {
    const why = payload?.userErrors?.map((e) => e.code).join(", ") || answer.failure || `${answer.status} ${answer.body.slice(0, 200)}`;
    throw new SetupError(`could not sign in as the ${role} ${who.email}: ${why}`);
  }
  return payload.accessToken;
}

export interface Catalog {
  productIds: string[];
  /** Variants the buyer can order (priced for its distributor, not discontinued). */
  orderable: { id: string; sku: string; minimumOrderQuantity: number }[];
  variantIds: string[];
}

interface CatalogPage {
  products?: {
    nodes: { id: string; minimumOrderQuantity: number; discontinued: boolean; variants: { id: string; sku: string; discontinued: boolean; price: { amount: string } | null }[] }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

/** The catalog as a buyer sees it: product and variant ids, and the variants it can order. */
export async function readCatalog(base: URL, from: Actor, token: string): Promise<Catalog> {
  const catalog: Catalog = { productIds: [], orderable: [], variantIds: [] };
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const answer = await graphql(
      base,
      from,
      `query($after: String) { products(first: 100, after: $after) { nodes { id minimumOrderQuantity discontinued variants { id sku discontinued price { amount } } } pageInfo { hasNextPage endCursor } } }`,
      { after },
      { token },
    );
    const products = (answer.json as { data?: CatalogPage } | undefined)?.data?.products;
    if (!products) throw new SetupError(`could not read the catalog as the buyer: ${answer.status} ${answer.body.slice(0, 200)}`);
    for (const product of products.nodes) {
      catalog.productIds.push(product.id);
      for (const variant of product.variants) {
        catalog.variantIds.push(variant.id);
        if (variant.price && !variant.discontinued && !product.discontinued) catalog.orderable.push({ id: variant.id, sku: variant.sku, minimumOrderQuantity: product.minimumOrderQuantity });
      }
    }
    if (!products.pageInfo.hasNextPage) break;
    after = products.pageInfo.endCursor;
  }
  return catalog;
}
