import { isObjectType, lexicographicSortSchema, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { buildSchema, getMetadataStorage } from "type-graphql";
import { resolvers } from "../modules/resolvers";
import { authChecker } from "./access";
import { NodeResolver } from "./node.resolver";
import { DateTimeScalar } from "./scalars";

let built: Promise<GraphQLSchema> | undefined;

/**
 * type-graphql gives every field of an object type a resolver of its own, which builds a
 * resolver-data object and runs the (empty) middleware chain only to read the property; a
 * response of a few thousand values pays that on each. A field that is just its property (no
 * field resolver, middleware or role, and the property named as the field) is marked `simple`,
 * type-graphql's own switch for this: it gets no resolver, and the executor reads the property
 * inline, as graphql's default resolver does (a getter still runs).
 */
const has = (list: { target: Function; fieldName?: string; methodName?: string }[], target: Function, name: string) =>
  list.some((m) => (m.target === target || target.prototype instanceof m.target) && (m.fieldName ?? m.methodName) === name);

function markPlainFieldsSimple(): void {
  const storage = getMetadataStorage();
  for (const field of storage.fields) {
    if (field.simple !== undefined || field.name !== field.schemaName) continue;
    if (storage.fieldResolvers.some((r) => r.methodName === field.name && r.getObjectType?.() === field.target)) continue;
    if (has(storage.middlewares, field.target, field.name) || has(storage.authorizedFields, field.target, field.name)) continue;
    field.simple = true;
  }
}

type Picked = (root: unknown, context: unknown, info: unknown) => unknown;
const PICK: Record<"root" | "context" | "info", Picked> = { root: (root) => root, context: (_, context) => context, info: (_, __, info) => info };
const direct = new WeakSet<Function>();

/** Whether a field's resolver calls its method directly (see callFieldResolversDirectly). */
export const isDirect = (resolve: unknown): boolean => typeof resolve === "function" && direct.has(resolve);

/**
 * type-graphql runs every field resolver through a wrapper that, on each call, builds a
 * resolver-data object, runs the (empty) middleware chain, sorts the method's parameter list and
 * checks the root's class: a catalog page calls field resolvers some 1,500 times. A field
 * resolver that needs none of it (no middleware or role, and parameters that are only @Root(),
 * @Ctx() and @Info(), whole) is called directly instead, on an instance of its resolver class
 * (they hold no state). A root that is not an instance of the parameter's class still goes
 * through type-graphql, which converts it.
 */
function callFieldResolversDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== "external" || !resolver.getObjectType) continue;
    if (resolver.roles?.length || resolver.middlewares?.length) continue;
    if (has(storage.middlewares, resolver.target, resolver.methodName) || has(storage.authorizedFields, resolver.target, resolver.methodName)) continue;
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    if (params.length > 3 || !params.every((p) => (p.kind === "root" || p.kind === "context" || p.kind === "info") && !("propertyName" in p && p.propertyName))) continue;
    const objectType = storage.objectTypes.find((o) => o.target === resolver.getObjectType!());
    const type = objectType && schema.getType(objectType.name);
    const field = isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    if (!field?.resolve) continue;
    const root = params.find((p) => p.kind === "root");
    const rootClass = root && "getType" in root && root.getType ? root.getType() : undefined;
    if (rootClass !== undefined && typeof rootClass !== "function") continue;
    const instance = new (resolver.target as new () => Record<string, (...args: unknown[]) => unknown>)();
    const method = instance[resolver.methodName];
    const [a, b, c] = params.map((p) => PICK[p.kind as keyof typeof PICK]);
    const call: Picked =
      params.length === 0
        ? () => method.call(instance)
        : params.length === 1
          ? (r, x, i) => method.call(instance, a(r, x, i))
          : params.length === 2
            ? (r, x, i) => method.call(instance, a(r, x, i), b(r, x, i))
            : (r, x, i) => method.call(instance, a(r, x, i), b(r, x, i), c(r, x, i));
    const wrapped = field.resolve;
    const resolve: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) =>
      rootClass === undefined || source instanceof rootClass ? call(source, context, info) : wrapped(source, args, context, info);
    direct.add(resolve);
    field.resolve = resolve;
  }
}

/** The executable schema, built once per process from the resolver classes. */
export function buildFacetSchema(): Promise<GraphQLSchema> {
  built ??= Promise.resolve().then(() => {
    markPlainFieldsSimple();
    return buildSchema({
      resolvers: [NodeResolver, ...resolvers],
      authChecker,
      authMode: "error",
      validate: false,
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
      emitSchemaFile: false,
    });
  })
    .then(lexicographicSortSchema)
    .then((schema) => {
      callFieldResolversDirectly(schema);
      return schema;
    });
  return built;
}
