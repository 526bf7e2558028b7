import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import { execute, GraphQLError, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema, type Source, type SourceLocation } from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import type { RequestContext } from "../core/context";

type Gateway = ApolloServerOptionsWithGateway<RequestContext>["gateway"];

/** The offset in the source of a line and column (both from 1), as GraphQLError takes its positions. */
function offsetOf(source: Source, { line, column }: SourceLocation): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = source.body.indexOf("\n", offset) + 1;
  return offset + column - 1;
}

function asGraphQLError(error: GraphQLError, document: DocumentNode): GraphQLError {
  if (error instanceof GraphQLError && error.extensions) return error;
  const source = document.loc?.source;
  return new GraphQLError(error.message, {
    source,
    positions: source && error.locations ? error.locations.map((l) => offsetOf(source, l)) : undefined,
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions ?? undefined,
  });
}

/** Documents kept compiled (the least recently used go first). */
const MAX_COMPILED = 200;

/**
 * graphql-js walks an operation's document anew for every request, field by field; graphql-jit
 * compiles it once into a function that resolves the same fields with much less work per field
 * (about a quarter of the CPU of a catalog page of 100 styles, in the benchmark). Apollo Server 5
 * takes an executor only through its gateway interface, so this is a "gateway" of one local schema.
 *
 * A document is compiled the second time it is asked (by its hash and operation name): a
 * one-off query, or a flood of distinct ones, never pays for compilation and runs on graphql-js
 * as before. Apollo has parsed and validated the document, and the limits plugin has priced it,
 * before either runs.
 */
export function compiledExecutor(schema: GraphQLSchema): Gateway {
  const seen = new Map<string, CompiledQuery | "once">();
  const remember = (key: string, value: CompiledQuery | "once") => {
    seen.delete(key);
    seen.set(key, value);
    if (seen.size > MAX_COMPILED) seen.delete(seen.keys().next().value as string);
  };
  return {
    async load() {
      return {
        executor: async ({ document, queryHash, context, request }): Promise<ExecutionResult> => {
          // The name the client asked for, not the one Apollo resolved: when no operation of the
          // document has it (or the document has several and it names none), graphql-js says so.
          const operationName = request.operationName ?? undefined;
          const key = `${queryHash}:${operationName ?? ""}`;
          const interpreted = () => execute({ schema, document, operationName, contextValue: context, variableValues: request.variables });
          let entry = seen.get(key);
          if (entry === undefined) {
            remember(key, "once");
            return interpreted();
          }
          if (entry === "once") {
            const compiled = compileQuery(schema, document, operationName);
            if (!isCompiledQuery(compiled)) return compiled;
            entry = compiled;
          }
          remember(key, entry);
          const result = await entry.query(undefined, context, request.variables ?? {});
          // graphql-jit refuses variables that graphql-js accepts (an omitted input field that is
          // non-null but has a default); it does so before executing anything, so graphql-js then
          // coerces them as the specification says, or names the error.
          if (!("data" in result)) return interpreted();
          // graphql-jit reports what a resolver threw in an error of its own making, without the
          // extensions graphql-js gives every error; Apollo and formatError need graphql-js's.
          return result.errors ? { ...result, errors: result.errors.map((e) => asGraphQLError(e, document)) } : result;
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {},
  };
}
