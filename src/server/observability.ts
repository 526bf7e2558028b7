import { createHash, timingSafeEqual } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLError } from "graphql";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Router } from "express";
import type { Config } from "../config";
import type { RequestContext } from "../core/context";
import { log } from "../logger";
import { metricsText, operationLabel, registry, requestDuration, statementsPerRequest } from "../observability/metrics";
import { elapsedSeconds, newObservation, type RequestObservation } from "../observability/observation";
import { isInternal } from "../graphql/errors";

declare module "http" {
  interface IncomingMessage {
    observation: RequestObservation;
  }
}

/** GraphQL's paths: /graphql and below it, in any case, as Express routes them. */
const GRAPHQL_PATH = /^\/graphql(\/|$)/i;

// Probes and scrapes arrive every few seconds; their lines would drown the rest.
const QUIET_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Starts the request's observation and, when the response is done, writes its one log line
 * (request id, operation, principal kind, duration, SQL statements, error code; never headers,
 * variables or bodies) and, for GraphQL, its metrics.
 */
export function observeRequests(req: IncomingMessage, res: ServerResponse): void {
  const observation = newObservation(req.requestId);
  req.observation = observation;
  // Read now: routers rewrite req.url while they handle it.
  const path = (req.url ?? "/").split("?")[0];
  // "close" also comes for a client that went away before the answer was complete.
  res.once("close", () => {
    const seconds = elapsedSeconds(observation);
    // A request whose client left is logged, not measured: its work may still be under way.
    if (GRAPHQL_PATH.test(path) && req.method !== "OPTIONS" && res.writableFinished) {
      const operation = operationLabel(observation.operation);
      requestDuration.observe({ operation, outcome: observation.errorCode ?? (res.statusCode < 400 ? "ok" : `HTTP_${res.statusCode}`) }, seconds);
      statementsPerRequest.observe({ operation }, observation.statements);
    }
    log.request(
      {
        requestId: observation.requestId,
        method: req.method ?? "GET",
        path,
        status: res.statusCode,
        durationMs: Math.round(seconds * 100_000) / 100,
        operation: observation.operation,
        principal: observation.principal,
        statements: observation.statements,
        errorCode: observation.errorCode,
        ...(res.writableFinished ? {} : { aborted: true as const }),
      },
      QUIET_PATHS.has(path),
    );
  });
}

/**
 * Tells the observation what GraphQL made of the request: the operation, the caller, the
 * outcome; and logs each internal error in full under the request's id (the client is told only
 * that there was one, see formatError).
 */
export function observabilityPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue, request }) {
      const internalErrors = {
        async didEncounterErrors({ errors }: { errors: readonly GraphQLError[] }) {
          for (const error of errors) {
            if (isInternal(error)) log.error("internal error", { error: unwrapResolverError(error), path: error.path, requestId: contextValue.requestId });
          }
        },
      };
      // An operation run without HTTP (executeOperation) has nothing else to observe.
      const observation = contextValue.observation;
      if (!observation) return internalErrors;
      observation.principal = contextValue.principal?.kind ?? "anonymous";
      observation.operation = request.operationName ?? null;
      return {
        ...internalErrors,
        async didResolveOperation({ operation }) {
          observation.operation ??= operation?.name?.value ?? null;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const code = response.body.singleResult.errors?.[0]?.extensions?.code;
          observation.errorCode = typeof code === "string" ? code : null;
        },
      };
    },
  };
}

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * GET /metrics in the Prometheus text format, for whoever holds METRICS_TOKEN (a bearer token).
 * Without METRICS_TOKEN the route does not exist.
 */
export function metricsRouter(config: Config): Router {
  const router = Router();
  if (!config.metricsToken) return router;
  const expected = digest(`Bearer ${config.metricsToken}`);
  router.get("/metrics", async (req, res) => {
    const given = req.headers.authorization;
    if (!given || !timingSafeEqual(digest(given.trim()), expected)) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="facet-metrics"');
      res.status(401).json({ error: "unauthorized" });
      return;
    }
    let text: string;
    try {
      text = await metricsText();
    } catch (error) {
      log.error("metrics unavailable", { error });
      res.status(503).json({ error: "metrics unavailable" });
      return;
    }
    res.setHeader("Content-Type", registry.contentType);
    res.send(text);
  });
  return router;
}
