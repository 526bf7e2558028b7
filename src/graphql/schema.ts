import { GraphQLScalarType, isObjectType, lexicographicSortSchema, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { buildSchema, getMetadataStorage, type AuthCheckerFn } from "type-graphql";
import { resolvers } from "../modules/resolvers";
import { authChecker } from "./access";
import type { RequestContext } from "./context";
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
function markPlainFieldsSimple(): void {
  const storage = getMetadataStorage();
  const has = (list: { target: Function; fieldName?: string; methodName?: string }[], target: Function, name: string) =>
    list.some((m) => (m.target === target || target.prototype instanceof m.target) && (m.fieldName ?? m.methodName) === name);
  for (const field of storage.fields) {
    if (field.simple !== undefined || field.name !== field.schemaName) continue;
    if (storage.fieldResolvers.some((r) => r.methodName === field.name && r.getObjectType?.() === field.target)) continue;
    if (has(storage.middlewares, field.target, field.name) || has(storage.authorizedFields, field.target, field.name)) continue;
    field.simple = true;
  }
}

type Picked = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;
type Param = NonNullable<ReturnType<typeof getMetadataStorage>["fieldResolvers"][number]["params"]>[number];

const isScalar = (type: unknown) => type instanceof GraphQLScalarType || type === String || type === Number || type === Boolean;

/**
 * An @Args() class's instance made from graphql's coerced arguments as type-graphql makes it
 * (convertArgsToInstance, then convertToType), for a class whose fields, its ancestors' included,
 * are all scalars: type-graphql passes scalar values through unchanged. Undefined for any other.
 */
export function argsMaker(argsClass: unknown): ((args: Record<string, unknown>) => unknown) | undefined {
  if (typeof argsClass !== "function") return undefined;
  const storage = getMetadataStorage();
  const names: string[] = [];
  let found = false;
  for (let c = argsClass; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as Function) {
    const type = storage.argumentTypes.find((t) => t.target === c);
    if (!type) continue;
    if (!type.fields) return undefined; // not built yet
    found = true;
    for (const field of type.fields) {
      if (!isScalar(field.getType()) || field.typeOptions.array) return undefined;
      names.push(field.name);
    }
  }
  if (!found) return undefined;
  const Args = argsClass as new () => Record<string, unknown>;
  return (args) => {
    const values: Record<string, unknown> = {};
    for (const name of names) if (args[name] !== undefined) values[name] = args[name];
    const instance = new Args();
    // Class fields declared without a value start as own undefined properties; type-graphql drops those not given.
    for (const key of Object.keys(instance)) if (instance[key] === undefined && !(key in values)) delete instance[key];
    return Object.assign(instance, values);
  };
}

/** How a direct call takes a parameter from graphql's (root, args, context, info); undefined when it needs type-graphql. */
function picker(param: Param): Picked | undefined {
  if ("propertyName" in param && param.propertyName) return undefined;
  if (param.kind === "root") return (root) => root;
  if (param.kind === "context") return (_, __, context) => context;
  if (param.kind === "info") return (_, __, ___, info) => info;
  // Validation is off: a scalar argument is passed as graphql coerced it, and an @Args() class of
  // scalars is made as type-graphql makes it; input objects are converted to their classes by type-graphql.
  if ((param.kind === "arg" || param.kind === "args") && !param.validateSettings && !param.validateFn) {
    if (param.kind === "args") {
      const make = argsMaker(param.getType());
      return make && ((_, args) => make(args as Record<string, unknown>));
    }
    const name = param.name;
    return isScalar(param.getType()) ? (_, args) => args[name] : undefined;
  }
  return undefined;
}

const direct = new WeakSet<Function>();
const checkRoles = authChecker as AuthCheckerFn<RequestContext>;

/** Whether a field's resolver calls its method directly (see callFieldResolversDirectly). */
export const isDirect = (resolve: unknown): boolean => typeof resolve === "function" && direct.has(resolve);

/**
 * type-graphql runs every field resolver through a wrapper that, on each call, builds a
 * resolver-data object, runs the (empty) middleware chain, sorts the method's parameter list and
 * checks the root's class: a catalog page calls field resolvers some 1,500 times. A field
 * resolver that needs none of it (no middleware but its role, and parameters that are only
 * @Root(), @Ctx() and @Info(), whole, scalar @Arg()s and @Args() classes of scalars) is called directly instead, on an
 * instance of its resolver class (they hold no state). A root that is not an instance of the
 * parameter's class still goes through type-graphql, which converts it.
 */
function callFieldResolversDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== "external" || !resolver.getObjectType) continue;
    // type-graphql has put the field's @Authorized roles and middlewares on it by now.
    if (resolver.middlewares?.length) continue;
    const roles = (resolver.roles ?? []) as string[];
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    const picks = params.map(picker);
    if (params.length > 4 || !picks.every((pick): pick is Picked => pick !== undefined)) continue;
    const objectType = storage.objectTypes.find((o) => o.target === resolver.getObjectType!());
    const type = objectType && schema.getType(objectType.name);
    const field = isObjectType(type) ? type.getFields()[resolver.schemaName] : undefined;
    if (!field?.resolve) continue;
    const root = params.find((p) => p.kind === "root");
    const rootClass = root && "getType" in root && root.getType ? root.getType() : undefined;
    if (rootClass !== undefined && typeof rootClass !== "function") continue;
    const instance = new (resolver.target as new () => Record<string, (...args: unknown[]) => unknown>)();
    const method = instance[resolver.methodName];
    const [a, b, c, d] = picks;
    const call: Picked =
      picks.length === 0
        ? () => method.call(instance)
        : picks.length === 1
          ? (r, x, y, i) => method.call(instance, a(r, x, y, i))
          : picks.length === 2
            ? (r, x, y, i) => method.call(instance, a(r, x, y, i), b(r, x, y, i))
            : picks.length === 3
              ? (r, x, y, i) => method.call(instance, a(r, x, y, i), b(r, x, y, i), c(r, x, y, i))
              : (r, x, y, i) => method.call(instance, a(r, x, y, i), b(r, x, y, i), c(r, x, y, i), d(r, x, y, i));
    const wrapped = field.resolve;
    const convertsRoot = (source: unknown) => rootClass !== undefined && !(source instanceof rootClass);
    // A role is checked as type-graphql's middleware would, by the same authChecker, which
    // throws FORBIDDEN or UNAUTHENTICATED itself; a false from it leaves the error to type-graphql.
    const resolve: GraphQLFieldResolver<unknown, unknown> =
      roles.length === 0
        ? (source, args, context, info) => (convertsRoot(source) ? wrapped(source, args, context, info) : call(source, args, context, info))
        : (source, args, context, info) =>
            convertsRoot(source) || !checkRoles({ root: source, args, context: context as RequestContext, info }, roles)
              ? wrapped(source, args, context, info)
              : call(source, args, context, info);
    direct.add(resolve);
    field.resolve = resolve;
  }
}

type FieldResolverMetadata = ReturnType<typeof getMetadataStorage>["fieldResolvers"][number];

/** The getter a property has on an object of this prototype, wherever on the chain it is declared. */
function getterOf(prototype: object | null, name: string): (() => unknown) | undefined {
  for (let p = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(p, name);
    if (descriptor) return descriptor.get;
  }
  return undefined;
}

/**
 * A @Field on a getter is a field resolver to type-graphql ("internal"), run through the same
 * wrapper as the others (resolver data, the middleware chain, the root converted to its class)
 * only to read the getter; graphql-jit then builds a response path and a resolve-info object for
 * each call too. An order page of 50 orders reads some 600 of them. A getter with no parameters,
 * middleware or role gets no resolver at all: the executor reads the property, which runs the
 * getter, as graphql's default resolver does. Such a type's objects are always built as instances
 * of its class (a plain object would answer its own properties, or null), so type-graphql's
 * conversion of the root had nothing to do. A getter exposed under another name (Node's `id` is
 * the getter `globalId`) is read by a resolver of one line, and a root of another class still
 * goes through type-graphql's.
 */
function readGettersInline(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const internal = storage.fieldResolvers.filter((r): r is FieldResolverMetadata & { target: Function } => r.kind === "internal");
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const owner = objectType.target;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || direct.has(field.resolve)) continue;
      // The nearest declaration of the field on the class or its ancestors.
      const declared = internal
        .filter((r) => r.schemaName === field.name && (r.target === owner || owner.prototype instanceof r.target))
        .sort((a, b) => (a.target.prototype instanceof b.target ? -1 : b.target.prototype instanceof a.target ? 1 : 0))[0];
      if (!declared || declared.params?.length || declared.middlewares?.length || declared.roles?.length) continue;
      const name = declared.methodName;
      const getter = getterOf(owner.prototype, name);
      if (!getter || getter !== getterOf(declared.target.prototype, name)) continue;
      if (name === field.name) {
        field.resolve = undefined;
        continue;
      }
      const wrapped = field.resolve;
      const resolve: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) =>
        source instanceof owner ? (source as Record<string, unknown>)[name] : wrapped(source, args, context, info);
      direct.add(resolve);
      field.resolve = resolve;
    }
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
      readGettersInline(schema);
      return schema;
    });
  return built;
}
