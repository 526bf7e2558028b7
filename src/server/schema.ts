import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema, type PubSub } from "type-graphql";
import { authChecker } from "../graphql/access";
import { NodeResolver } from "../graphql/node.resolver";
import { DateTimeScalar } from "../graphql/scalars";
import { resolvers } from "../modules/resolvers";

let built: Promise<GraphQLSchema> | undefined;

// type-graphql asks for a PubSub once a schema has subscriptions, though Facet's name their own
// streams (`subscribe`, over the event bus: see modules/events/live.ts) and use no topics.
const NO_TOPICS: PubSub = {
  publish() {
    throw new Error("Facet's subscriptions use no topics: events are published on the event bus");
  },
  subscribe() {
    throw new Error("Facet's subscriptions use no topics: each names its stream of the event bus");
  },
};

/** The executable schema, built once per process from the resolver classes. */
export function buildFacetSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [NodeResolver, ...resolvers],
    authChecker,
    authMode: "error",
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    emitSchemaFile: false,
    pubSub: NO_TOPICS,
  }).then(lexicographicSortSchema);
  return built;
}

/** The schema's SDL, as schema/schema.graphql holds it and GET /schema.graphql answers it. */
export async function facetSdl(): Promise<string> {
  return printSchema(await buildFacetSchema()) + "\n";
}
