import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Config } from "../config";
import { isStaff, type RequestContext } from "../core/context";
import { AuthenticationError, ErrorCode, ForbiddenError } from "../graphql/errors";
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
 * Before an operation runs: refuses introspection to everyone but staff in production, refuses
 * operations beyond the limits or with a NUL character in a string, and charges the operation's
 * cost to the caller's bucket. The budget left is reported in `extensions.rateLimit` of every
 * response.
 */
export function limitsPlugin(config: Config, store: RateLimitStore): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let report: { cost: number; limit: number; remaining: number; restoreRate: number } | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const principal = contextValue.principal;
          const shape = measureOperation(schema, document, operation, request.variables ?? {});
          if (shape.introspection && config.env === "production" && !isStaff(principal)) {
            throw principal ? new ForbiddenError("Introspection is for the exporter's staff") : new AuthenticationError();
          }
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
