import { NotSignedIn } from "./errors";
import type { RequestContext } from "./context";

// Who may do what. The GraphQL layer registers these enums and enforces the rules on fields
// (graphql/access.ts); services and node lookups apply the same rules through permits().

export enum UserRole {
  BUYER = "BUYER",
  DISTRIBUTOR_ADMIN = "DISTRIBUTOR_ADMIN",
  EXPORT_MANAGER = "EXPORT_MANAGER",
  SUPPORT = "SUPPORT",
}

// OAuth scopes of ERP API clients. The GraphQL names are the enum keys; tokens carry the values.
export enum ApiScope {
  CATALOG_READ = "catalog:read",
  ORDERS_READ = "orders:read",
  ORDERS_WRITE = "orders:write",
  BRIEFS_READ = "briefs:read",
  BRIEFS_WRITE = "briefs:write",
  SHIPMENTS_READ = "shipments:read",
  FEEDBACK_WRITE = "feedback:write",
  WEBHOOKS_WRITE = "webhooks:write",
}

export const ALL_SCOPES: readonly ApiScope[] = Object.values(ApiScope);

/** Anyone at all, signed in or not (login). */
export const ANYONE = "ANYONE";
/** Any signed-in user or API client. */
export const SIGNED_IN = "SIGNED_IN";

export type AccessRule = UserRole | ApiScope | typeof ANYONE | typeof SIGNED_IN;

export const Roles = {
  ALL: [UserRole.BUYER, UserRole.DISTRIBUTOR_ADMIN, UserRole.EXPORT_MANAGER, UserRole.SUPPORT],
  STAFF: [UserRole.EXPORT_MANAGER, UserRole.SUPPORT],
  DISTRIBUTOR_USERS: [UserRole.BUYER, UserRole.DISTRIBUTOR_ADMIN],
} as const;

/**
 * Who may read each domain: every person, and API clients holding the domain's read scope. The
 * root queries, the object fields that cross into another domain and `node(id:)` all apply the
 * same list, so no path reads more than the domain's own queries allow. Each domain's object
 * types name their list once, when they are registered as nodes (`registerNode`); a test walks
 * the schema (graphql/access.ts, `domainCrossings`) and fails on a field that reaches one of them
 * from elsewhere without a rule within that list.
 */
export const Readers = {
  CATALOG: [...Roles.ALL, ApiScope.CATALOG_READ],
  ORDERS: [...Roles.ALL, ApiScope.ORDERS_READ],
  BRIEFS: [...Roles.ALL, ApiScope.BRIEFS_READ],
  SHIPMENTS: [...Roles.ALL, ApiScope.SHIPMENTS_READ],
  /** Webhook endpoints and deliveries: those who manage them, and staff (support) who read everyone's. */
  WEBHOOKS: [UserRole.DISTRIBUTOR_ADMIN, ...Roles.STAFF, ApiScope.WEBHOOKS_WRITE],
} as const;

/**
 * Whether every caller `rules` lets in is one `readers` lets in too: a field that reaches another
 * domain's objects must not let in anyone that domain's own readers leave out. A caller passes a
 * list when it names the caller's role or one of its scopes, so a list that names nothing the
 * other does not is within it.
 */
export function ruleWithin(rules: readonly string[], readers: readonly string[]): boolean {
  if (readers.includes(ANYONE)) return true;
  if (rules.includes(ANYONE)) return false;
  if (readers.includes(SIGNED_IN)) return true;
  return rules.every((rule) => rule !== SIGNED_IN && readers.includes(rule));
}

/** Whether the caller passes the rules; throws NotSignedIn for an anonymous caller unless ANYONE is allowed. */
export function permits(context: RequestContext, rules: readonly string[]): boolean {
  if (rules.includes(ANYONE)) return true;
  const principal = context.principal;
  if (!principal) throw new NotSignedIn();
  if (rules.includes(SIGNED_IN)) return true;
  return principal.kind === "user" ? rules.includes(principal.role) : principal.scopes.some((scope) => rules.includes(scope));
}
