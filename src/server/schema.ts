import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { authChecker } from "../graphql/access";
import { NodeResolver } from "../graphql/node.resolver";
import { DateTimeScalar } from "../graphql/scalars";
import { resolvers } from "../modules/resolvers";

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once per process from the resolver classes. */
export function buildFacetSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [NodeResolver, ...resolvers],
    authChecker,
    authMode: "error",
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    emitSchemaFile: false,
  }).then(lexicographicSortSchema);
  return built;
}

/** The schema's SDL, as schema/schema.graphql holds it and GET /schema.graphql answers it. */
export async function facetSdl(): Promise<string> {
  return printSchema(await buildFacetSchema()) + "\n";
}
