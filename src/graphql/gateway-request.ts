import path from "node:path";
import type { ApolloServerOptionsWithGateway, BaseContext, GraphQLRequestContextExecutionDidStart, HeaderMap } from "@apollo/server";
import { log } from "../logger";

type Gateway = ApolloServerOptionsWithGateway<BaseContext>["gateway"];
type GatewayExecutor = NonNullable<Awaited<ReturnType<Gateway["load"]>>["executor"]>;
/** What Apollo Server hands a gateway's executor for each operation. */
export type GatewayRequestContext = Parameters<GatewayExecutor>[0];
type FetcherHeaders = NonNullable<GatewayRequestContext["request"]["http"]>["headers"];

// Apollo Server hands a gateway's executor (Facet's compiled executor, see executor.ts) a request
// context that Apollo's makeGatewayGraphQLRequestContext builds for every operation. Its
// `response.http` is an object literal whose `status` is a getter and a setter closing over the
// operation's own request context. V8 gives every such literal a hidden class of its own, kept
// in the literal's transitions, and its young-generation collector (the scavenger) keeps what
// those transitions reach: so every operation's context, loaders, rows and answer outlived the
// scavenges after it, were copied and then promoted to the old generation, and only a full
// collection freed them. In the benchmark an order history's worker copied and promoted about
// 8 MB at each scavenge, even with one request at a time, and each scavenge paused it for about
// 30 ms.
//
// Facet builds that context itself, the same fields, with the status getter and setter on a
// class: one hidden class for all, nothing kept. Apollo's pipeline calls the builder through its
// module's exports at each operation, so it is replaced there, once. Apollo Server is pinned in
// package-lock.json; test/gateway-request.test.ts fails should a new version no longer call it.

/** A HeaderMap read and written as the Fetcher headers a gateway expects, as Apollo's own adapter does. */
class HeaderMapFetcherHeaders implements FetcherHeaders {
  constructor(private readonly map: HeaderMap) {}
  append(name: string, value: string): void {
    const current = this.map.get(name);
    this.map.set(name, current === undefined ? value : `${current}, ${value}`);
  }
  delete(name: string): void {
    this.map.delete(name);
  }
  get(name: string): string | null {
    return this.map.get(name) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name);
  }
  set(name: string, value: string): void {
    this.map.set(name, value);
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** The response's HTTP part: its status read and written through to Apollo's, as in Apollo's literal. */
export class GatewayHttpResponse {
  readonly headers: FetcherHeaders;
  constructor(private readonly http: { headers: HeaderMap; status?: number }) {
    this.headers = new HeaderMapFetcherHeaders(http.headers);
  }
  get status(): number | undefined {
    return this.http.status;
  }
  set status(status: number | undefined) {
    this.http.status = status;
  }
}

interface ServerFacts {
  logger: GatewayRequestContext["logger"];
  cache: GatewayRequestContext["cache"];
}

/** makeGatewayGraphQLRequestContext of Apollo Server 5.5, field for field, without a literal's accessors. */
export function gatewayRequestContext(
  requestContext: GraphQLRequestContextExecutionDidStart<BaseContext>,
  server: ServerFacts,
  internals: { includeStacktraceInErrorResponses?: boolean },
): GatewayRequestContext {
  const from = requestContext.request;
  const request: GatewayRequestContext["request"] = {};
  if ("query" in from) request.query = from.query;
  if ("operationName" in from) request.operationName = from.operationName;
  if ("variables" in from) request.variables = from.variables;
  if ("extensions" in from) request.extensions = from.extensions;
  if (from.http) {
    const search = from.http.search;
    const question = search !== "" && !search.startsWith("?") ? "?" : "";
    request.http = { method: from.http.method, url: `https://unknown-url.invalid/${question}${search}`, headers: new HeaderMapFetcherHeaders(from.http.headers) };
  }
  return {
    request,
    response: { http: new GatewayHttpResponse(requestContext.response.http) },
    logger: server.logger,
    schema: requestContext.schema,
    schemaHash: "schemaHash no longer exists since Apollo Server 4" as GatewayRequestContext["schemaHash"],
    context: requestContext.contextValue,
    cache: server.cache,
    queryHash: requestContext.queryHash,
    document: requestContext.document,
    source: requestContext.source,
    operationName: requestContext.operationName,
    operation: requestContext.operation,
    errors: requestContext.errors,
    metrics: requestContext.metrics,
    debug: internals.includeStacktraceInErrorResponses,
    overallCachePolicy: requestContext.overallCachePolicy,
    requestIsBatched: requestContext.requestIsBatched,
  };
}

/** Apollo's module of the builder, the one its request pipeline requires (beside its entry point). */
function apolloBuilderModule(): Record<string, unknown> {
  return require(path.join(path.dirname(require.resolve("@apollo/server")), "utils", "makeGatewayGraphQLRequestContext.js")) as Record<string, unknown>;
}

/** Apollo's own builder, once replaced (for tests). */
export let apolloGatewayRequestContext: unknown;

/**
 * Has Apollo's request pipeline build a gateway's request context with gatewayRequestContext.
 * Idempotent. When Apollo's layout is not the one expected, it leaves Apollo's builder alone (and
 * says so in the log).
 */
export function useGatewayRequestContext(): void {
  let builder: Record<string, unknown>;
  try {
    builder = apolloBuilderModule();
  } catch (error) {
    log.warn("Apollo Server's gateway request builder was not found; its own is used", { error });
    return;
  }
  if (builder.makeGatewayGraphQLRequestContext === gatewayRequestContext) return;
  if (typeof builder.makeGatewayGraphQLRequestContext !== "function") {
    log.warn("Apollo Server's gateway request builder has changed; its own is used");
    return;
  }
  apolloGatewayRequestContext = builder.makeGatewayGraphQLRequestContext;
  builder.makeGatewayGraphQLRequestContext = gatewayRequestContext;
}

/** Has Apollo's pipeline build gateway request contexts with `builder` (for tests). */
export function setGatewayRequestBuilder(builder: unknown): void {
  apolloBuilderModule().makeGatewayGraphQLRequestContext = builder;
}

/** Whether Apollo's pipeline builds gateway request contexts with gatewayRequestContext (for tests). */
export const gatewayRequestContextInUse = (): boolean => apolloBuilderModule().makeGatewayGraphQLRequestContext === gatewayRequestContext;
