import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Config } from "../../src/config";
import { ALL_SCOPES, type ApiScope, UserRole } from "../../src/core/access";
import { fromGlobalId, toGlobalId } from "../../src/graphql/node";
import { User, type Distributor } from "../../src/modules/accounts";
import type { Product } from "../../src/modules/catalog/product.entity";
import type { Variant } from "../../src/modules/catalog/variant.entity";
import type { OrderLineInput, PlaceOrderInput } from "../generated/graphql";
import { createProduct, createVariant, setPrice, variantId, type ProductSpec, type VariantSpec } from "./catalog-factories";
import { clientToken, createApiClient, createDistributor, createUser, unique, userToken } from "./factories";

/** A person with a recognisable name, so status history can be checked for who did what. */
export async function namedUser(ds: DataSource, config: Config, role: UserRole, distributor: Distributor | null = null) {
  const user = await createUser(ds, { distributor, role });
  const name = `${role.toLowerCase()} ${unique("n")}`;
  await ds.manager.update(User, { id: user.id }, { name });
  user.name = name;
  return { user, token: userToken(config, user) };
}

export interface Tenant {
  distributor: Distributor;
  buyer: { user: User; token: string };
  admin: { user: User; token: string };
  /** An ERP client with every scope. */
  erp: string;
  /** ERP tokens narrowed to one scope each. */
  erpWith: (...scopes: `${ApiScope}`[]) => string;
}

export async function tenant(ds: DataSource, config: Config, overrides: Partial<Distributor> = {}): Promise<Tenant> {
  const distributor = await createDistributor(ds, overrides);
  const buyer = await namedUser(ds, config, UserRole.BUYER, distributor);
  const admin = await namedUser(ds, config, UserRole.DISTRIBUTOR_ADMIN, distributor);
  const { client } = await createApiClient(ds, distributor, { scopes: [...ALL_SCOPES] });
  return { distributor, buyer, admin, erp: clientToken(config, client), erpWith: (...scopes) => clientToken(config, client, scopes) };
}

export async function staff(ds: DataSource, config: Config) {
  return { manager: await namedUser(ds, config, UserRole.EXPORT_MANAGER), support: await namedUser(ds, config, UserRole.SUPPORT) };
}

export interface SellableSpec {
  product?: ProductSpec;
  variant?: VariantSpec;
  /** Price per distributor, in its contract currency; distributors not named get no price. */
  prices?: [Distributor, string][];
}

/** A style with one variant, its stock row and the given prices. */
export async function sellable(ds: DataSource, spec: SellableSpec = {}): Promise<{ product: Product; variant: Variant; id: string }> {
  const product = await createProduct(ds, spec.product);
  const variant = await createVariant(ds, product, spec.variant);
  for (const [distributor, amount] of spec.prices ?? []) await setPrice(ds, distributor, variant, amount);
  return { product, variant, id: variantId(variant) };
}

export function line(id: string, quantity: number, customization?: OrderLineInput["customization"]): OrderLineInput {
  return customization ? { variantId: id, quantity, customization } : { variantId: id, quantity };
}

export function orderInput(lines: OrderLineInput[], overrides: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  return { idempotencyKey: randomUUID(), buyerReference: unique("PO"), lines, ...overrides };
}

export const orderGlobalId = (id: string) => toGlobalId("Order", id);

/** The database id behind an order's global id. */
export function rawOrderId(globalId: string): string {
  const decoded = fromGlobalId(globalId);
  if (decoded?.typeName !== "Order") throw new Error(`not an order's id: ${globalId}`);
  return decoded.id;
}

/** The stock row of a variant as it is in the database. */
export async function stockOf(ds: DataSource, variant: Variant): Promise<{ onHand: number; reserved: number }> {
  const [row] = (await ds.query(`SELECT on_hand, reserved FROM stock_levels WHERE variant_id = $1`, [variant.id])) as { on_hand: number; reserved: number }[];
  return { onHand: row.on_hand, reserved: row.reserved };
}

/** Everything a placement may write for a distributor: orders, their lines and history, keys. */
export async function footprint(ds: DataSource, distributor: Distributor) {
  const [row] = (await ds.query(
    `SELECT (SELECT count(*) FROM orders WHERE distributor_id = $1)::int AS orders,
            (SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.distributor_id = $1)::int AS lines,
            (SELECT count(*) FROM order_status_changes h JOIN orders o ON o.id = h.order_id WHERE o.distributor_id = $1)::int AS changes,
            (SELECT count(*) FROM idempotency_keys WHERE distributor_id = $1)::int AS keys`,
    [distributor.id],
  )) as { orders: number; lines: number; changes: number; keys: number }[];
  return row;
}
