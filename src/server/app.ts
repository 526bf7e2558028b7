import { randomUUID } from "node:crypto";
import http from "node:http";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import express, { type NextFunction, type Request, type Response } from "express";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { RequestContext } from "../graphql/context";
import { formatError } from "../graphql/errors";
import { LIMITS } from "../graphql/limits";
import { buildFacetSchema } from "../graphql/schema";
import { compiledExecutor } from "../graphql/executor";
import { requestScopePlugin } from "../db/request-scope";
import { answerHttpError, GRAPHQL_PATH, graphqlHttpHandler } from "./graphql-http";
import { limitsPlugin } from "./limits-plugin";
import { metricsRouter, observabilityPlugin, observeRequests } from "./observability";
import { reportPool, type PoolStats } from "../observability/metrics";
import { oauthRouter } from "./oauth";
import { playgroundRouter } from "./playground";
import { createRateLimitStore, type RateLimitStore } from "./rate-limit";

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

export async function createServer(config: Config, dataSource: DataSource, options: { rateLimitStore?: RateLimitStore } = {}): Promise<FacetServer> {
  const app = express();
  const httpServer = http.createServer();
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
  // Express would hash every response body for an ETag that none of these routes' clients sends back.
  app.disable("etag");
  reportPool(() => (dataSource.driver as unknown as { master?: PoolStats }).master);

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
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => answerHttpError(config, error, req, res));

  // Every request gets its id and its observation; /graphql is answered without Express (see
  // graphqlHttpHandler), everything else by the app.
  const graphql = graphqlHttpHandler(config, dataSource, apollo);
  const handle: http.RequestListener = (req, res) => {
    const incoming = req.headers["x-request-id"];
    req.requestId = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader("X-Request-Id", req.requestId);
    observeRequests(req, res);
    if (GRAPHQL_PATH.test(req.url ?? "/")) graphql(req, res);
    else app(req, res);
  };
  httpServer.on("request", handle);

  return {
    handle,
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
