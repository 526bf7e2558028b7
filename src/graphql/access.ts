import { getNamedType, isAbstractType, isNonNullType, isObjectType, type GraphQLField, type GraphQLNamedType, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { Authorized, Extensions, registerEnumType, type AuthChecker } from "type-graphql";
import { ANYONE, ApiScope, permits, ruleWithin, SIGNED_IN, UserRole, type AccessRule } from "../core/access";
import type { RequestContext } from "../core/context";
import { AuthenticationError, ForbiddenError } from "./errors";
import { nodeReaders } from "./node";

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
    WEBHOOKS_WRITE: { description: "`webhooks:write`: manage the distributor's webhook endpoints and read their deliveries." },
  },
});

/**
 * Declares who may call a root field (or see an object field). Facet is deny-by-default: a test
 * walks the built schema and fails on any root field without a rule, which this decorator
 * records in the field's extensions as `access`. On an object field that reaches another
 * domain's type, the rule is that type's readers (`Readers.CATALOG`, …; see domainCrossings), the
 * field is nullable, and a caller the rule leaves out gets null there with a FORBIDDEN error,
 * while the rest of the response stands.
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

/** A field through which callers reach a domain type that not all of them may read. */
export interface Crossing {
  /** `Type.field`. */
  field: string;
  /** The domain type it returns. */
  returns: string;
  /** Who may read that type: its readers, as registered with its node. */
  readers: readonly AccessRule[];
  /** Who may reach the field's parent, by any path the schema has. */
  reach: readonly string[];
  /** The field's own rule (`@Allow`), if any. */
  access: readonly string[] | undefined;
  nullable: boolean;
  /** The field is on a mutation's payload: it shows what the mutation wrote to the caller who wrote it. */
  answer: boolean;
}

const accessOf = (field: GraphQLField<unknown, unknown>): readonly string[] | undefined => (field.extensions as { access?: readonly string[] }).access;

/**
 * Every field that leads into a domain type (one whose readers are known, by default the
 * registered node types) from a type that callers outside those readers may reach.
 *
 * Who may reach a type is worked out from the schema: a root field's rule reaches its type; a
 * field with a rule passes on that rule, a field without one whatever reaches its parent; a
 * domain type is also reached by its own readers (`node(id:)` applies them), and an abstract type
 * (`Node`) reaches each of its types only as their readers allow. A crossing is then safe when the
 * field carries a rule within the type's readers, and the refusal of a nested field stays on that
 * field when the field is nullable; payloads of mutations are reported with `answer` set.
 */
export function domainCrossings(schema: GraphQLSchema, readersOf: (typeName: string) => readonly AccessRule[] | undefined = nodeReaders): Crossing[] {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t): t is GraphQLObjectType => t != null));
  const objects = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith("__") && !roots.has(t));
  const answers = new Set(Object.values(schema.getMutationType()?.getFields() ?? {}).map((f) => getNamedType(f.type).name));
  const reach = new Map<string, Set<string>>();
  const add = (typeName: string, rules: Iterable<string>): boolean => {
    let set = reach.get(typeName);
    if (!set) reach.set(typeName, (set = new Set()));
    const before = set.size;
    for (const rule of rules) set.add(rule);
    return set.size > before;
  };
  // What a field passes on to the types it returns.
  const pass = (field: GraphQLField<unknown, unknown>, fromParent: Iterable<string>): boolean => {
    const named: GraphQLNamedType = getNamedType(field.type);
    const rules = accessOf(field) ?? [...fromParent];
    if (isAbstractType(named)) return schema.getPossibleTypes(named).reduce((grew, t) => add(t.name, readersOf(t.name) ?? rules) || grew, false);
    return isObjectType(named) ? add(named.name, rules) : false;
  };

  for (const type of objects) {
    const readers = readersOf(type.name);
    if (readers) add(type.name, readers);
  }
  for (const root of roots) {
    for (const field of Object.values(root.getFields())) {
      // A mutation open to anyone (login) answers with an object only once it has signed the caller in.
      const rules = accessOf(field);
      if (root === schema.getMutationType() && rules?.includes(ANYONE)) add(getNamedType(field.type).name, rules.map((r) => (r === ANYONE ? SIGNED_IN : r)));
      else pass(field, []);
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const type of objects) for (const field of Object.values(type.getFields())) grew = pass(field, reach.get(type.name) ?? []) || grew;
  }

  const crossings: Crossing[] = [];
  for (const type of objects) {
    const parentReach = [...(reach.get(type.name) ?? [])];
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      const targets = isAbstractType(named) ? schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
      for (const target of targets) {
        const readers = readersOf(target.name);
        if (!readers || ruleWithin(parentReach, readers)) continue;
        crossings.push({
          field: `${type.name}.${field.name}`,
          returns: target.name,
          readers,
          reach: parentReach,
          access: accessOf(field),
          nullable: !isNonNullType(field.type),
          answer: answers.has(type.name),
        });
      }
    }
  }
  return crossings;
}
