import { Authorized, Extensions, registerEnumType, type AuthChecker } from "type-graphql";
import type { RequestContext } from "./context";
import { AuthenticationError, ForbiddenError } from "./errors";

export enum UserRole {
  BUYER = "BUYER",
  DISTRIBUTOR_ADMIN = "DISTRIBUTOR_ADMIN",
  EXPORT_MANAGER = "EXPORT_MANAGER",
  SUPPORT = "SUPPORT",
}

registerEnumType(UserRole, {
  name: "Role",
  description: "What a person may do in Facet.",
  valuesConfig: {
    BUYER: { description: "A distributor's buyer: browses the catalog, orders, briefs designs, tracks shipments." },
    DISTRIBUTOR_ADMIN: { description: "A buyer who also manages the distributor's users and API clients." },
    EXPORT_MANAGER: { description: "Exporter staff: confirms orders, quotes briefs, ships, answers feedback." },
    SUPPORT: { description: "Exporter staff with read-only access to every distributor." },
  },
});

// OAuth scopes of ERP API clients. The GraphQL names are the enum keys; tokens carry the values.
export enum ApiScope {
  CATALOG_READ = "catalog:read",
  ORDERS_READ = "orders:read",
  ORDERS_WRITE = "orders:write",
  BRIEFS_READ = "briefs:read",
  BRIEFS_WRITE = "briefs:write",
  SHIPMENTS_READ = "shipments:read",
  FEEDBACK_WRITE = "feedback:write",
}

registerEnumType(ApiScope, {
  name: "ApiScope",
  description: "A permission granted to an ERP API client; OAuth tokens name it as e.g. `catalog:read`.",
  valuesConfig: {
    CATALOG_READ: { description: "`catalog:read`: products, variants, availability, prices, lead-time quotes." },
    ORDERS_READ: { description: "`orders:read`: the distributor's orders." },
    ORDERS_WRITE: { description: "`orders:write`: place and cancel orders." },
    BRIEFS_READ: { description: "`briefs:read`: the distributor's design briefs." },
    BRIEFS_WRITE: { description: "`briefs:write`: create and discuss design briefs." },
    SHIPMENTS_READ: { description: "`shipments:read`: shipments, tracking events and documents." },
    FEEDBACK_WRITE: { description: "`feedback:write`: report how shipments arrived." },
  },
});

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
 * same list, so no path reads more than the domain's own queries allow.
 */
export const Readers = {
  CATALOG: [...Roles.ALL, ApiScope.CATALOG_READ],
  ORDERS: [...Roles.ALL, ApiScope.ORDERS_READ],
  BRIEFS: [...Roles.ALL, ApiScope.BRIEFS_READ],
  SHIPMENTS: [...Roles.ALL, ApiScope.SHIPMENTS_READ],
} as const;

/**
 * Declares who may call a root field (or see an object field). Facet is deny-by-default: a test
 * walks the built schema and fails on any root field without a rule, which this decorator
 * records in the field's extensions as `access`.
 */
export function Allow(...rules: AccessRule[]): MethodDecorator & PropertyDecorator {
  if (rules.length === 0) throw new Error("Allow() needs at least one rule");
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    Authorized(rules)(target, key, descriptor as TypedPropertyDescriptor<unknown>);
    Extensions({ access: rules })(target, key, descriptor as TypedPropertyDescriptor<unknown>);
  };
}

/** Whether the caller passes the rules; throws UNAUTHENTICATED for an anonymous caller unless ANYONE is allowed. */
export function permits(context: RequestContext, rules: readonly string[]): boolean {
  if (rules.includes(ANYONE)) return true;
  const principal = context.principal;
  if (!principal) throw new AuthenticationError();
  if (rules.includes(SIGNED_IN)) return true;
  return principal.kind === "user" ? rules.includes(principal.role) : principal.scopes.some((scope) => rules.includes(scope));
}

export const authChecker: AuthChecker<RequestContext> = ({ context }, rules) => {
  if (permits(context, rules)) return true;
  throw new ForbiddenError();
};
