import { randomUUID } from "node:crypto";
import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import cors from "cors";
import express, { type NextFunction, type Request, type Response } from "express";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { RequestContext } from "../core/context";
import { AuthenticationError, ErrorCode, formatError, isInternal } from "../graphql/errors";
import { LIMITS } from "../graphql/limits";
import { log } from "../logger";
import { reportPool, type PoolStats } from "../observability/metrics";
import { createRequestContext, endRequest } from "./context";
import { graphqlRoute } from "./graphql-route";
import { compiledExecutor } from "../graphql/executor";
import { limitsPlugin } from "./limits-plugin";
import { metricsRouter, observabilityPlugin, observeRequests } from "./observability";
import { oauthRouter } from "./oauth";
import { playgroundRouter } from "./playground";
import { createRateLimitStore, type RateLimitStore } from "./rate-limit";
import { buildFacetSchema, facetSdl } from "./schema";

export interface FacetServer {
  /** Answers one HTTP request: what httpServer listens with. */
  handle: http.RequestListener;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  listen(port: number, host?: string): Promise<number>;
  /** Readiness goes false, in-flight requests drain, then the HTTP server closes. */
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

declare module "http" {
  interface IncomingMessage {
    requestId: string;
  }
}

/** An error answered to a client in GraphQL's shape, as Apollo answers its own. */
export function sendGraphQLError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/**
 * Facet's HTTP server: one Express app for every route. CORS, body limits, security headers, the
 * request id and the shape of errors are set here, once.
 */
export async function createServer(config: Config, dataSource: DataSource, options: { rateLimitStore?: RateLimitStore } = {}): Promise<FacetServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const rateLimits = options.rateLimitStore ?? (await createRateLimitStore(config.redisUrl));
  let shuttingDown = false;

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
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      ApolloServerPluginLandingPageDisabled(),
      // Facet gives no cache hints (every answer is private to its caller); left on, Apollo's
      // cache-control plugin wraps every field resolver to work out a policy nobody reads.
      ApolloServerPluginCacheControlDisabled(),
      observabilityPlugin(),
      limitsPlugin(config, rateLimits),
    ],
  });
  await apollo.start();

  app.disable("x-powered-by");
  // Express would hash every response body for an ETag that none of these routes' clients sends back.
  app.disable("etag");
  reportPool(() => (dataSource.driver as unknown as { master?: PoolStats }).master);

  // Every request gets its id (a client's, when it is a plain one) and its observation.
  app.use((req, res, next) => {
    const incoming = req.headers["x-request-id"];
    req.requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("X-Request-Id", req.requestId);
    res.setHeader("X-Content-Type-Options", "nosniff");
    observeRequests(req, res);
    next();
  });
  app.use(
    cors({
      origin: config.corsOrigins.includes("*") ? true : config.corsOrigins,
      methods: ["GET", "POST"],
      allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name", "x-request-id"],
      exposedHeaders: ["x-request-id"],
      maxAge: 600,
    }),
  );

  app.use(metricsRouter(config));
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const checks: Record<string, string> = { shutdown: shuttingDown ? "in progress" : "no" };
    try {
      await dataSource.query("SELECT 1");
      checks.database = "reachable";
      checks.migrations = (await dataSource.showMigrations()) ? "pending" : "applied";
    } catch {
      checks.database = "unreachable";
    }
    const ready = !shuttingDown && checks.database === "reachable" && checks.migrations === "applied";
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", checks });
  });
  app.use(oauthRouter(config, dataSource, rateLimits));

  // The SDL, for a distributor's developers to run codegen against: any signed-in caller may have
  // it, as they may introspect; anonymous callers may not.
  const sdl = await facetSdl();
  app.get("/schema.graphql", async (req, res, next) => {
    const facts = { authorization: req.headers.authorization, requestId: req.requestId, ip: req.socket.remoteAddress, observation: req.observation };
    let refused: AuthenticationError | undefined;
    try {
      const context = await createRequestContext({ config, dataSource }, facts);
      await endRequest(context);
      if (!context.principal) refused = new AuthenticationError();
    } catch (error) {
      if (!(error instanceof AuthenticationError)) return next(error);
      refused = error;
    }
    if (refused) {
      req.observation.errorCode = ErrorCode.UNAUTHENTICATED;
      res.setHeader("WWW-Authenticate", 'Bearer realm="facet"');
      return sendGraphQLError(res, 401, ErrorCode.UNAUTHENTICATED, refused.message);
    }
    res.type("text/plain; charset=utf-8").setHeader("Cache-Control", "no-store").send(sdl);
  });
  app.use(playgroundRouter());

  app.use(
    "/graphql",
    express.json({ limit: config.bodyLimit }),
    (req, res, next) => {
      const query = req.method === "GET" ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
      if (typeof query === "string" && query.length > LIMITS.maxQueryLength) {
        req.observation.errorCode = ErrorCode.QUERY_TOO_COMPLEX;
        return sendGraphQLError(res, 400, ErrorCode.QUERY_TOO_COMPLEX, `The query is ${query.length} characters long; at most ${LIMITS.maxQueryLength} are allowed`);
      }
      next();
    },
    graphqlRoute(apollo, async (req) => {
      try {
        return await createRequestContext(
          { config, dataSource },
          { authorization: req.headers.authorization, requestId: req.requestId, ip: req.socket.remoteAddress, observation: req.observation },
        );
      } catch (error) {
        // Refused before GraphQL starts (a bad token): no plugin sees it, so note it here.
        const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
        req.observation.errorCode = typeof code === "string" ? code : ErrorCode.INTERNAL_SERVER_ERROR;
        if (isInternal(error)) log.error("internal error", { error, requestId: req.requestId });
        throw error;
      }
    }),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });
  // Failures outside GraphQL (a body that is not JSON or too large, a failure of the server itself):
  // in GraphQL's error shape, without a stack.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status: given, type } = (error ?? {}) as { status?: unknown; type?: unknown };
    const status = typeof given === "number" && given >= 400 && given < 500 ? given : 500;
    if (status === 500) log.error("unhandled HTTP error", { error, requestId: req.requestId });
    const code = status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_REQUEST;
    req.observation.errorCode = code;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const message = type === "entity.too.large" ? `Request body is larger than ${config.bodyLimit}` : status === 500 ? "Internal server error" : "Request body is not valid JSON";
    sendGraphQLError(res, status, code, message);
  });

  return {
    handle: app,
    httpServer,
    apollo,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve((httpServer.address() as { port: number }).port));
      }),
    async stop() {
      shuttingDown = true;
      // Still serving, but not ready: a load balancer polling /readyz takes Facet out of rotation
      // before the listener closes.
      if (config.shutdownDelayMs > 0 && httpServer.listening) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await rateLimits.close();
    },
  };
}
