import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { fastifyApolloHandler } from "@as-integrations/fastify";
import fastifyCors from "@fastify/cors";
import fastifyFormbody from "@fastify/formbody";
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, type RouteHandlerMethod } from "fastify";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { RequestContext } from "../core/context";
import { replicasOf } from "../db/replicas";
import { compiledExecutor } from "../graphql/executor";
import { AuthenticationError, ErrorCode, formatError, isInternal, RETRY_AFTER_SECONDS, ServiceUnavailableError } from "../graphql/errors";
import { LIMITS } from "../graphql/limits";
import { operationKind } from "../graphql/operation-kind";
import { log } from "../logger";
import { rateLimitRejections, reportPool, type PoolStats } from "../observability/metrics";
import { clusterStarted } from "./cluster";
import { createRequestContext, endRequest, type RequestFacts } from "./context";
import { AddressGuard } from "./address-guard";
import { LocalEventBus, useEventBus, type EventBus } from "../modules/events";
import { limitsPlugin } from "./limits-plugin";
import { endObservation, metricsRoutes, observabilityPlugin, startObservation } from "./observability";
import { exportRoutes } from "./exports";
import { oauthRoutes } from "./oauth";
import { playgroundRoutes } from "./playground";
import { createRateLimitStore, type RateLimitStore } from "./rate-limit";
import { buildFacetSchema, facetSdl } from "./schema";
import { serveSubscriptions, type SubscriptionServer } from "./subscriptions";

export interface FacetServer {
  /** Answers one HTTP request, as the listening server does (once it listens). */
  handle: http.RequestListener;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  /** GraphQL subscriptions over WebSocket on /graphql (graphql-ws). */
  subscriptions: SubscriptionServer;
  listen(port: number, host?: string): Promise<number>;
  /**
   * Readiness goes false and every answer asks its client to close the connection; after
   * SHUTDOWN_DELAY_MS the listener closes, idle connections are closed, and the requests under way
   * are answered (for up to SHUTDOWN_GRACE_MS) before the server stops.
   */
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

declare module "http" {
  interface IncomingMessage {
    requestId: string;
  }
}

declare module "fastify" {
  interface FastifyRequest {
    /** The GraphQL request's context, once built: given back (see endRequest) before the answer is sent. */
    facetContext: RequestContext | null;
    /** The AddressGuard key the request counts under among its address's anonymous requests, if it does. */
    guardedAs: string | null;
  }
}

/** Trusts the nearest `hops` addresses of X-Forwarded-For (the proxies in front) and no more. */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/** An error answered to a client in GraphQL's shape, as Apollo answers its own. */
function sendGraphQLError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ errors: [{ message, extensions: { code } }] });
}

/** What each /graphql request's operation may do, told by the route's preHandler when the database has read replicas. */
const graphqlAccess = new WeakMap<FastifyRequest, RequestFacts["access"]>();

const factsOf = (request: FastifyRequest): RequestFacts => ({
  authorization: request.headers.authorization,
  requestId: request.raw.requestId,
  ip: request.ip,
  observation: request.raw.observation,
  access: graphqlAccess.get(request),
});

/**
 * Facet's HTTP server: one Fastify app for every route. The request id, security headers, CORS,
 * body limits and the shape of errors are set here, once. /graphql is Apollo Server's Fastify
 * integration; its request's database connection goes back to the pool before the answer is
 * sent (the route's onSend hook), whatever Apollo made of the request.
 */
export async function createServer(
  config: Config,
  dataSource: DataSource,
  options: { rateLimitStore?: RateLimitStore; eventBus?: EventBus } = {},
): Promise<FacetServer> {
  // Paths match in any case and with or without a trailing slash, as clients write them.
  const app = Fastify({
    bodyLimit: config.bodyLimitBytes,
    // A request that reaches Facet while it closes is answered, not refused: see stop().
    return503OnClosing: false,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true },
    // The client's address (rate limits, sign-in sources) is the TCP peer's unless trusted proxies say otherwise.
    // A number of hops trusts that many proxies in front, whoever they are: Facet must then be
    // reachable only through them (see TRUST_PROXY in the README).
    trustProxy: typeof config.trustProxy === "number" ? trustHops(config.trustProxy) : config.trustProxy,
    // A client that sends slowly, or keeps a connection idle, cannot hold one for long.
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
  });
  (app.server as http.Server).headersTimeout = config.http.headersTimeoutMs;
  app.server.maxConnections = config.http.maxConnections;
  const rateLimits = options.rateLimitStore ?? (await createRateLimitStore(config.redisUrl));
  // Committed events reach this process's live subscribers through the bus.
  useEventBus(dataSource, options.eventBus ?? new LocalEventBus());
  const guard = new AddressGuard();
  let shuttingDown = false;
  let stopped: Promise<void> | undefined;

  const apollo = new ApolloServer<RequestContext>({
    gateway: compiledExecutor(await buildFacetSchema()),
    formatError,
    includeStacktraceInErrorResponses: false,
    // Introspection is decided per request: signed-in callers only in production (see limitsPlugin).
    introspection: true,
    parseOptions: { maxTokens: LIMITS.maxTokens },
    hideSchemaDetailsFromClientErrors: config.env === "production",
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Facet gives no cache hints (every answer is private to its caller); left on, Apollo's
      // cache-control plugin wraps every field resolver to work out a policy nobody reads.
      ApolloServerPluginCacheControlDisabled(),
      observabilityPlugin(),
      limitsPlugin(config, rateLimits, guard),
    ],
  });
  await apollo.start();
  reportPool(() => (dataSource.driver as unknown as { master?: PoolStats }).master);

  // Every request gets an id of the server's own, and its observation, which keeps a client's id
  // (a plain one) beside it. No answer is cached: each is its caller's, and may carry a token.
  app.addHook("onRequest", async (request, reply) => {
    request.raw.requestId = randomUUID();
    reply.header("X-Request-Id", request.raw.requestId).header("X-Content-Type-Options", "nosniff").header("Cache-Control", "no-store");
    startObservation(request.raw);
    const incoming = request.headers["x-request-id"];
    if (typeof incoming === "string" && REQUEST_ID.test(incoming)) request.raw.observation.clientRequestId = incoming;
  });
  // A caller not signed in (a GraphQL request without a token, a token request) whose address was
  // just refused, or has too many requests under way, is refused again before anything is read:
  // an onRequest hook of those two routes.
  const refuseFloods =
    (kind: "graphql" | "oauth") =>
    async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
      if (kind === "graphql" && request.headers.authorization) return;
      const key = `${kind}|${request.ip}`;
      const wait = guard.waitOf(key);
      if (wait === 0 && guard.enter(key)) {
        request.guardedAs = key;
        return;
      }
      const message = wait > 0 ? `Rate limit: this address must wait ${wait} s` : "Too many requests under way from this address; retry in a moment";
      rateLimitRejections.inc({ principal: "anonymous", endpoint: kind });
      request.raw.observation.errorCode = ErrorCode.RATE_LIMITED;
      request.raw.observation.quiet = true;
      await guard.holdBack(wait);
      reply.header("Retry-After", String(Math.max(wait, 1)));
      if (kind === "graphql") return sendGraphQLError(reply, 429, ErrorCode.RATE_LIMITED, message);
      return reply.code(429).send({ error: "rate_limited", error_description: message });
    };
  // Once shutdown has begun, every answer closes its connection: the client's next request opens a
  // new one, which the load balancer sends elsewhere (see stop()). So does the answer to a
  // connection's MAX_REQUESTS_PER_CONNECTION-th request, so that long-lived clients spread again
  // over the processes there are now (a replaced worker, a new instance).
  const served = new WeakMap<object, number>();
  app.addHook("onSend", async (request, reply) => {
    const socket = request.raw.socket;
    const count = (served.get(socket) ?? 0) + 1;
    served.set(socket, count);
    if (shuttingDown || count >= config.http.maxRequestsPerConnection) reply.header("Connection", "close");
  });
  // Its log line and metrics once it is answered, or its client has gone before that.
  app.addHook("onResponse", async (request, reply) => {
    if (request.guardedAs) guard.leave(request.guardedAs);
    endObservation(request.raw, reply.raw);
  });
  app.addHook("onRequestAbort", async (request) => {
    if (request.guardedAs) guard.leave(request.guardedAs);
    request.guardedAs = null;
    endObservation(request.raw, null);
  });
  await app.register(fastifyCors, {
    origin: config.corsOrigins.includes("*") ? true : config.corsOrigins,
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name", "x-request-id"],
    exposedHeaders: ["x-request-id"],
    maxAge: 600,
  });
  // Forms for /oauth/token; any other body is handed on as text, for its route to judge (Apollo
  // refuses a GraphQL request a browser could send cross-site, whatever its content type).
  await app.register(fastifyFormbody);
  app.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
  app.decorateRequest("facetContext", null);
  app.decorateRequest("guardedAs", null);

  metricsRoutes(app, config);
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const checks: Record<string, string> = { shutdown: shuttingDown ? "in progress" : "no" };
    try {
      await dataSource.query("SELECT 1");
      checks.database = "reachable";
      checks.migrations = (await dataSource.showMigrations()) ? "pending" : "applied";
    } catch {
      checks.database = "unreachable";
    }
    // Rate limits fail open (see rate-limit.ts): where they are kept is reported, and does not make Facet unready.
    checks.rateLimits = await rateLimits.state();
    // So do read replicas: reads go to the primary while none is in use (see replicas.ts).
    const replicas = replicasOf(dataSource);
    if (replicas) checks.replicas = replicas.describe();
    // A worker is ready once every worker of its cluster listens: a load balancer that sends the
    // first requests to an instance half started would find half its capacity.
    if (cluster.isWorker) checks.workers = clusterStarted() ? "all listening" : "starting";
    const ready = !shuttingDown && checks.database === "reachable" && checks.migrations === "applied" && clusterStarted();
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready", checks });
  });
  oauthRoutes(app, config, dataSource, rateLimits, guard, refuseFloods("oauth"));
  exportRoutes(app, config, dataSource);
  playgroundRoutes(app);

  // The SDL, for a distributor's developers to run codegen against: any signed-in caller may have
  // it, as they may introspect; anonymous callers may not.
  const sdl = await facetSdl();
  app.get("/schema.graphql", async (request, reply) => {
    let refused: AuthenticationError | undefined;
    try {
      const context = await createRequestContext({ config, dataSource }, factsOf(request));
      await endRequest(context);
      if (!context.principal) refused = new AuthenticationError();
    } catch (error) {
      if (error instanceof ServiceUnavailableError) {
        request.raw.observation.errorCode = ErrorCode.SERVICE_UNAVAILABLE;
        reply.header("Retry-After", String(RETRY_AFTER_SECONDS));
        return sendGraphQLError(reply, 503, ErrorCode.SERVICE_UNAVAILABLE, error.message);
      }
      if (!(error instanceof AuthenticationError)) throw error;
      refused = error;
    }
    if (refused) {
      request.raw.observation.errorCode = ErrorCode.UNAUTHENTICATED;
      reply.header("WWW-Authenticate", 'Bearer realm="facet"');
      return sendGraphQLError(reply, 401, ErrorCode.UNAUTHENTICATED, refused.message);
    }
    return reply.header("Cache-Control", "no-store").type("text/plain; charset=utf-8").send(sdl);
  });

  app.route({
    method: ["GET", "POST"],
    url: "/graphql",
    onRequest: refuseFloods("graphql"),
    preHandler: async (request, reply) => {
      const params = (request.method === "GET" ? request.query : request.body) as { query?: unknown; operationName?: unknown } | undefined;
      const query = params?.query;
      if (typeof query === "string" && query.length > LIMITS.maxQueryLength) {
        request.raw.observation.errorCode = ErrorCode.QUERY_TOO_COMPLEX;
        return sendGraphQLError(reply, 400, ErrorCode.QUERY_TOO_COMPLEX, `The query is ${query.length} characters long; at most ${LIMITS.maxQueryLength} are allowed`);
      }
      // With read replicas, a query may be answered by one: told now, since the request's
      // connection is taken before Apollo parses the operation (see createRequestContext).
      if (config.replicas.urls.length > 0) graphqlAccess.set(request, operationKind(query, params?.operationName) === "query" ? "read" : "write");
    },
    // (The integration types its handler for a route of its own shape; the route is the same.)
    handler: fastifyApolloHandler(apollo, {
      context: async (request) => {
        try {
          return (request.facetContext = await createRequestContext({ config, dataSource }, factsOf(request)));
        } catch (error) {
          // Refused before GraphQL starts (a bad token): no plugin sees it, so note it here.
          const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
          request.raw.observation.errorCode = typeof code === "string" ? code : ErrorCode.INTERNAL_SERVER_ERROR;
          if (isInternal(error)) log.error("internal error", { error, requestId: request.raw.requestId });
          throw error;
        }
      },
    }) as unknown as RouteHandlerMethod,
    // The connection goes back before the answer is written, also when Apollo refused the request
    // after its context was built (a body without a query, a GET mutation), which no plugin sees.
    // An answer larger than RESPONSE_LIMIT is not sent: the cost limits keep real queries far below.
    onSend: async (request, reply, payload) => {
      if (request.facetContext) await endRequest(request.facetContext);
      reply.header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff");
      if (typeof payload === "string" && payload.length > config.responseLimitBytes / 4 && Buffer.byteLength(payload) > config.responseLimitBytes) {
        request.raw.observation.errorCode = ErrorCode.QUERY_TOO_COMPLEX;
        reply.code(400).type("application/json; charset=utf-8");
        const message = `The answer is ${Buffer.byteLength(payload)} bytes, more than the ${config.responseLimit} allowed: ask for smaller pages (first) or fewer fields`;
        return JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } }] });
      }
      return payload;
    },
  });

  app.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ error: "not_found" }));
  // Failures outside GraphQL (a body that is not JSON or too large, a failure of the server itself):
  // in GraphQL's error shape, without a stack.
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const given = error.statusCode;
    const status = typeof given === "number" && given >= 400 && given < 500 ? given : 500;
    if (status === 500) log.error("unhandled HTTP error", { error, requestId: request.raw.requestId });
    const code = status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_REQUEST;
    request.raw.observation.errorCode = code;
    const message =
      error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
        ? `Request body is larger than ${config.bodyLimit}`
        : status === 500
          ? "Internal server error"
          : error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || error instanceof SyntaxError
            ? "Request body is not valid JSON"
            : error.message;
    return sendGraphQLError(reply, status, code, message);
  });

  // Subscriptions: WebSocket upgrades of /graphql on the same server, with the same schema.
  const subscriptions = serveSubscriptions(app.server, { config, dataSource, schema: await buildFacetSchema() });

  await app.ready();
  return {
    handle: (req, res) => app.routing(req, res),
    httpServer: app.server,
    apollo,
    subscriptions,
    async listen(port, host) {
      await app.listen({ port, host });
      return (app.server.address() as AddressInfo).port;
    },
    async stop() {
      if (stopped) return stopped;
      shuttingDown = true;
      // New WebSocket connections are refused (503) from now: their clients reconnect elsewhere.
      subscriptions.refuseNew();
      stopped = (async () => {
        // Still serving, but not ready, and each answer closes its connection: a load balancer
        // polling /readyz takes Facet out of rotation before the listener closes.
        if (config.shutdownDelayMs > 0 && app.server.listening) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
        // Subscription sockets are told 1001 (Going Away) before the listener closes: their clients
        // reconnect, by then to an instance the load balancer still sends to.
        await subscriptions.close();
        // Closing the server stops the listener and destroys the connections that are idle: a
        // request racing in on one is never read, so never run, and its client sees the connection
        // reset (safe to retry). Requests under way are answered, each closing its connection.
        // Past the grace period the rest are cut, and said so.
        const deadline = setTimeout(() => {
          log.warn("shutdown grace period over: closing the connections of requests still under way", { graceMs: config.shutdownGraceMs });
          app.server.closeAllConnections();
        }, config.shutdownGraceMs);
        try {
          await app.close();
        } finally {
          clearTimeout(deadline);
        }
        await apollo.stop();
        await rateLimits.close();
      })();
      return stopped;
    },
  };
}
