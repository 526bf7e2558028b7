import { Authorized, Extensions, registerEnumType, type AuthChecker } from "type-graphql";
import { ANYONE, ApiScope, permits, UserRole, type AccessRule } from "../core/access";
import type { RequestContext } from "../core/context";
import { AuthenticationError, ForbiddenError } from "./errors";

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

export const authChecker: AuthChecker<RequestContext> = ({ context }, rules) => {
  if (!context.principal && !rules.includes(ANYONE)) throw new AuthenticationError();
  if (permits(context, rules)) return true;
  throw new ForbiddenError();
};
