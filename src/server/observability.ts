import { createHash, timingSafeEqual } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLError } from "graphql";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import type { Config } from "../config";
import type { RequestContext } from "../core/context";
import { log } from "../logger";
import { metricsText, operationLabel, registry, requestDuration, statementsPerRequest } from "../observability/metrics";
import { elapsedSeconds, newObservation, type RequestObservation } from "../observability/observation";
import { isInternal, logTransient, recordHttpStatus, retryLater } from "../graphql/errors";

declare module "http" {
  interface IncomingMessage {
    observation: RequestObservation;
  }
}

/** GraphQL's path, in any case and with or without a trailing slash, as the router matches it. */
const GRAPHQL_PATH = /^\/graphql(\/|$)/i;

// Probes and scrapes arrive every few seconds; their lines would drown the rest.
const QUIET_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

// An answer that fails to reach a client that has gone can end a request a second time.
const ended = new WeakSet<RequestObservation>();

/** Starts the request's observation: what it did is noted there as it runs. */
export function startObservation(req: IncomingMessage): void {
  req.observation = newObservation(req.requestId);
}

/**
 * Once the response is sent, or its client has gone before it was (`res` null), writes the
 * request's one log line (request id, operation, principal kind, duration, SQL statements, error
 * code; never headers, variables or bodies) and, for GraphQL, its metrics. Called once per request.
 */
export function endObservation(req: IncomingMessage, res: ServerResponse | null): void {
  const observation = req.observation;
  if (ended.has(observation)) return;
  ended.add(observation);
  const seconds = elapsedSeconds(observation);
  const path = (req.url ?? "/").split("?")[0];
  const finished = res !== null && res.writableFinished;
  // 499, as proxies log a request whose client closed the connection before the answer.
  const status = res?.statusCode ?? 499;
  // A request whose client left is logged, not measured: its work may still be under way.
  if (GRAPHQL_PATH.test(path) && req.method !== "OPTIONS" && finished) {
    const operation = operationLabel(observation.operation);
    requestDuration.observe({ operation, outcome: observation.errorCode ?? (status < 400 ? "ok" : `HTTP_${status}`) }, seconds);
    statementsPerRequest.observe({ operation }, observation.statements);
  }
  log.request(
    {
      requestId: observation.requestId,
      ...(observation.clientRequestId ? { clientRequestId: observation.clientRequestId } : {}),
      method: req.method ?? "GET",
      path,
      status,
      durationMs: Math.round(seconds * 100_000) / 100,
      operation: observation.operation,
      principal: observation.principal,
      statements: observation.statements,
      errorCode: observation.errorCode,
      ...(finished ? {} : { aborted: true as const }),
    },
    QUIET_PATHS.has(path) || observation.quiet === true,
  );
}

/**
 * Tells the observation what GraphQL made of the request: the operation, the caller, the
 * outcome; logs each internal error in full under the request's id (the client is told only
 * that there was one, see formatError); and gives the other errors their HTTP status.
 */
export function observabilityPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue, request }) {
      const internalErrors = {
        async didEncounterErrors({ errors }: { errors: readonly GraphQLError[] }) {
          for (const error of errors) {
            if (isInternal(error)) log.error("internal error", { error: unwrapResolverError(error), path: error.path, requestId: contextValue.requestId });
            else {
              if (retryLater(error)) logTransient(unwrapResolverError(error), { path: error.path, requestId: contextValue.requestId });
              // A client's bad value (400) or a moment's overload (503), before Apollo picks the status.
              recordHttpStatus(error);
            }
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
export function metricsRoutes(app: FastifyInstance, config: Config): void {
  if (!config.metricsToken) return;
  const expected = digest(`Bearer ${config.metricsToken}`);
  app.get("/metrics", async (request, reply) => {
    const given = request.headers.authorization;
    if (!given || !timingSafeEqual(digest(given.trim()), expected)) {
      return reply.header("WWW-Authenticate", 'Bearer realm="facet-metrics"').code(401).send({ error: "unauthorized" });
    }
    let text: string;
    try {
      text = await metricsText();
    } catch (error) {
      log.error("metrics unavailable", { error });
      return reply.code(503).send({ error: "metrics unavailable" });
    }
    return reply.type(registry.contentType).send(text);
  });
}
