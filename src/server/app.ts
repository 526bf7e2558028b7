import { randomUUID } from "node:crypto";
import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import cors from "cors";
import express, { type NextFunction, type Request, type Response } from "express";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { RequestContext } from "../graphql/context";
import { ErrorCode, formatError, isInternal } from "../graphql/errors";
import { LIMITS } from "../graphql/limits";
import { buildFacetSchema } from "../graphql/schema";
import { compiledExecutor } from "../graphql/executor";
import { log } from "../logger";
import { requestScopePlugin } from "../db/request-scope";
import { createRequestContext } from "./context";
import { limitsPlugin } from "./limits-plugin";
import { metricsRouter, observabilityPlugin, observeRequests } from "./observability";
import { reportPool, type PoolStats } from "../observability/metrics";
import { oauthRouter } from "./oauth";
import { playgroundRouter } from "./playground";
import { createRateLimitStore, type RateLimitStore } from "./rate-limit";

export interface FacetServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<RequestContext>;
  listen(port: number, host?: string): Promise<number>;
  /** Readiness goes false, in-flight requests drain, then the HTTP server closes. */
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

declare module "express-serve-static-core" {
  interface Request {
    requestId: string;
  }
}

export async function createServer(config: Config, dataSource: DataSource, options: { rateLimitStore?: RateLimitStore } = {}): Promise<FacetServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const rateLimits = options.rateLimitStore ?? (await createRateLimitStore(config.redisUrl));
  let shuttingDown = false;

  const apollo = new ApolloServer<RequestContext>({
    gateway: compiledExecutor(await buildFacetSchema()),
    formatError,
    includeStacktraceInErrorResponses: false,
    // Introspection is decided per request: staff only in production (see limitsPlugin).
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
      requestScopePlugin(),
    ],
  });
  await apollo.start();

  app.disable("x-powered-by");
  // Express hashes every response body for an ETag: SHA-1 over every byte of a page. Only a
  // conditional GET could use it, and Facet's clients POST their queries; the hash would cost
  // CPU on every request for a header nobody reads.
  app.disable("etag");
  app.use((req, res, next) => {
    const incoming = req.headers["x-request-id"];
    req.requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("X-Request-Id", req.requestId);
    next();
  });
  app.use(observeRequests);
  reportPool(() => (dataSource.driver as unknown as { master?: PoolStats }).master);

  // GraphQL first: Express tries its routes in turn for every request, and nearly every request
  // is for /graphql.
  const corsOptions: cors.CorsOptions = {
    origin: config.corsOrigins.includes("*") ? true : config.corsOrigins,
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name", "x-request-id"],
    exposedHeaders: ["x-request-id"],
    maxAge: 600,
  };
  app.use(
    "/graphql",
    cors(corsOptions),
    express.json({ limit: config.bodyLimit }),
    (req: Request, res: Response, next: NextFunction) => {
      const query = (req.method === "GET" ? req.query.query : (req.body as { query?: unknown } | undefined)?.query) ?? "";
      if (typeof query === "string" && query.length > LIMITS.maxQueryLength) {
        req.observation.errorCode = ErrorCode.QUERY_TOO_COMPLEX;
        res.status(400).json({
          errors: [{ message: `The query is ${query.length} characters long; at most ${LIMITS.maxQueryLength} are allowed`, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } }],
        });
        return;
      }
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        try {
          return await createRequestContext(
            { config, dataSource },
            { authorization: req.headers.authorization, requestId: req.requestId, ip: req.ip, observation: req.observation },
          );
        } catch (error) {
          // Refused before GraphQL starts (a bad token): no plugin sees it, so note it here.
          const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
          req.observation.errorCode = typeof code === "string" ? code : ErrorCode.INTERNAL_SERVER_ERROR;
          if (isInternal(error)) log.error("internal error", { error, requestId: req.requestId });
          throw error;
        }
      },
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
  app.use(playgroundRouter());

  app.use((_req, res) => {
    res.status(404).json({ error: "not_found" });
  });
  // Body parser failures (bad JSON, too large) answer in GraphQL's error shape, without a stack.
  app.use((error: { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof error.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error("unhandled HTTP error", { error, requestId: req.requestId });
    req.observation.errorCode = status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_USER_INPUT;
    const message =
      error.type === "entity.too.large"
        ? `Request body is larger than ${config.bodyLimit}`
        : status === 500
          ? "Internal server error"
          : "Request body is not valid JSON";
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_USER_INPUT } }] });
  });

  return {
    app,
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
