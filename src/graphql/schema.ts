import { lexicographicSortSchema, type GraphQLSchema } from "graphql";
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
  }).then(lexicographicSortSchema);
  return built;
}
