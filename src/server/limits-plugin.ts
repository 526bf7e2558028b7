import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Config } from "../config";
import type { RequestContext } from "../core/context";
import { AuthenticationError, BadRequestError, ErrorCode } from "../graphql/errors";
import { enforceLimits, measureOperation, refuseNulCharacters } from "../graphql/limits";
import { rateLimitRejections } from "../observability/metrics";
import type { RateLimitStore } from "./rate-limit";

// A mutation writes, and writes cost more than reads (as GitHub's 5 points for a mutation).
const MUTATION_SURCHARGE = 10;

export function rateLimited(retryAfterSeconds: number, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: new Map([["retry-after", String(retryAfterSeconds)]]) },
    },
  });
}

/**
 * Before an operation runs: refuses subscriptions, introspection by anonymous callers in
 * production, operations beyond the limits and strings with a NUL character, and charges the
 * operation's cost to the caller's bucket. The budget left is reported in `extensions.rateLimit`
 * of every response.
 */
export function limitsPlugin(config: Config, store: RateLimitStore): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let report: { cost: number; limit: number; remaining: number; restoreRate: number } | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const principal = contextValue.principal;
          if (operation.operation === "subscription") {
            throw new BadRequestError("Facet serves no subscriptions: ask again with a query (the answers carry `updatedAt` for incremental sync)");
          }
          const shape = measureOperation(schema, document, operation, request.variables ?? {});
          // In production the schema is for those who signed in: a distributor's developers run
          // codegen against it; strangers learn nothing of it.
          if (shape.introspection && config.env === "production" && !principal) throw new AuthenticationError();
          enforceLimits(shape);
          refuseNulCharacters(document, request.variables ?? {});
          const cost = shape.cost + (operation.operation === "mutation" ? MUTATION_SURCHARGE : 0);
          const budget = principal ? config.rateLimit.principal : config.rateLimit.anonymous;
          const key = principal ? `${principal.kind}:${principal.id}` : `ip:${contextValue.ip ?? "unknown"}`;
          const take = await store.take(key, cost, budget);
          report = { cost, limit: budget.capacity, remaining: take.remaining, restoreRate: budget.restorePerSecond };
          if (!take.allowed) {
            rateLimitRejections.inc({ principal: principal?.kind ?? "anonymous", endpoint: "graphql" });
            throw rateLimited(
              take.retryAfterSeconds,
              `Rate limit: this request costs ${cost} points and ${take.remaining} are left; retry in ${take.retryAfterSeconds} s`,
            );
          }
        },
        async willSendResponse({ response }) {
          if (report && response.body.kind === "single") {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, rateLimit: report };
          }
        },
      };
    },
  };
}
