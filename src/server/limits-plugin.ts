import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import type { Config } from "../config";
import type { Principal, RequestContext } from "../core/context";
import { AuthenticationError, BadRequestError, rateLimited } from "../graphql/errors";
import { enforceLimits, measureOperation, objectsInAnswer, refuseNulCharacters, tooComplex } from "../graphql/limits";
import { rateLimitRejections } from "../observability/metrics";
import type { AddressGuard } from "./address-guard";
import type { Bucket, RateLimitStore } from "./rate-limit";

// A mutation writes, and writes cost more than reads (as GitHub's 5 points for a mutation).
const MUTATION_SURCHARGE = 10;
// A sign-in checks a password, tens of milliseconds of CPU: each one (each alias) costs this much,
// so an address's bucket allows a handful at once and one every few seconds after.
export const LOGIN_COST = 100;
// What a refused request (invalid, too complex, not allowed) costs instead of what it asked for.
export const REFUSED_COST = 5;

const INTROSPECTION_FIELDS = new Set(["__schema", "__type", "__typename"]);

/** The names of an operation's root fields, through its fragments. */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d.selectionSet] as const] : [])));
  const names: string[] = [];
  const seen = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment);
      }
    }
  };
  collect(operation.selectionSet);
  return names;
}

/**
 * What a caller not signed in may do: sign in, and nothing else; outside production also read
 * the schema (the playground does before anyone signs in). A document that signs in does only
 * that, so no write can follow a sign-in in the same request.
 */
function refuseOutOfScope(config: Config, principal: Principal | null, operation: OperationDefinitionNode, fields: string[]): void {
  const signsIn = fields.includes("login");
  if (signsIn && (operation.operation !== "mutation" || fields.some((f) => f !== "login" && f !== "__typename"))) {
    throw new BadRequestError("`login` is sent alone: send other operations in a request of their own, with the access token it returns");
  }
  if (principal || signsIn) return;
  // `{ __typename }` tells nothing (load balancers and uptime checks send it). In production the
  // schema is for those who signed in: a distributor's developers run codegen against it;
  // strangers learn nothing of it.
  const allowed = config.env === "production" ? new Set(["__typename"]) : INTROSPECTION_FIELDS;
  if (operation.operation !== "query" || !fields.every((f) => allowed.has(f))) throw new AuthenticationError();
}

/** The buckets a request pays from: the caller's own and its distributor's, or its address's. */
function bucketsOf(config: Config, context: RequestContext): Bucket[] {
  const principal = context.principal;
  if (!principal) return [{ key: `ip:${context.ip ?? "unknown"}`, budget: config.rateLimit.anonymous }];
  const own = { key: `${principal.kind}:${principal.id}`, budget: config.rateLimit.principal };
  return principal.distributorId ? [own, { key: `distributor:${principal.distributorId}`, budget: config.rateLimit.distributor }] : [own];
}

// graphql-js suggests names in some errors ("Did you mean …?"), which tell a stranger the schema.
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Before an operation runs: refuses subscriptions (served over WebSocket: see subscriptions.ts), anything but sign-in from a caller not signed
 * in, operations beyond the limits and strings with a NUL character, and charges the operation's
 * cost to the caller's buckets (a refused one costs REFUSED_COST). The binding bucket's budget is
 * reported in `extensions.rateLimit` of every response. In production no error suggests names.
 */
export function limitsPlugin(config: Config, store: RateLimitStore, guard?: AddressGuard): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const buckets = bucketsOf(config, contextValue);
      let report: { requestedCost: number; cost: number; limit: number; remaining: number; restoreRate: number } | undefined;
      let charged: { cost: number; extra: number } | undefined;
      // A refusal is charged, but its answer carries only the reason it was refused.
      const charge = async (cost: number, reported = true) => {
        charged = { cost, extra: 0 };
        const take = await store.takeAll(buckets, cost);
        if (reported) {
          const { capacity, restorePerSecond } = take.bucket.budget;
          report = { requestedCost: cost, cost, limit: capacity, remaining: take.remaining, restoreRate: restorePerSecond };
        }
        return take;
      };
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          let cost: number;
          let surcharge: number;
          try {
            if (operation.operation === "subscription") {
              throw new BadRequestError("Subscriptions are served over WebSocket, not HTTP: connect to ws(s)://<host>/graphql with graphql-ws (protocol graphql-transport-ws) and send the access token in connection_init; see docs/subscriptions.md");
            }
            const fields = rootFields(document, operation);
            refuseOutOfScope(config, contextValue.principal, operation, fields);
            const shape = measureOperation(schema, document, operation, request.variables ?? {});
            enforceLimits(shape);
            refuseNulCharacters(document, request.variables ?? {});
            const logins = fields.filter((f) => f === "login").length;
            surcharge = (operation.operation === "mutation" ? MUTATION_SURCHARGE : 0) + logins * LOGIN_COST;
            cost = shape.cost + surcharge;
            // A search's surcharge (in shape.cost) stands for database time, which the objects
            // returned do not show: it is kept when the charge is settled.
            surcharge += shape.surcharge;
            const smallest = Math.min(...buckets.map((b) => b.budget.capacity));
            if (cost > smallest) {
              throw tooComplex(`The query may cost ${cost} points, more than the whole budget of ${smallest}: ask for smaller pages (first) or fewer nested lists`);
            }
          } catch (error) {
            await charge(REFUSED_COST, false);
            throw error;
          }
          // What the operation may cost, as measured, must be in the buckets; once it has run,
          // what it really returned is charged instead (see willSendResponse).
          const take = await charge(cost);
          if (!take.allowed) {
            charged = undefined;
            rateLimitRejections.inc({ principal: contextValue.principal?.kind ?? "anonymous", endpoint: "graphql" });
            // The address's next requests are refused before they are even read (see AddressGuard).
            if (!contextValue.principal && contextValue.ip) guard?.refused(`graphql|${contextValue.ip}`, take.retryAfterSeconds);
            const whose = take.bucket.key.startsWith("distributor:") ? "your distributor's shared budget" : "your budget";
            throw rateLimited(
              take.retryAfterSeconds,
              `Rate limit: this request costs ${cost} points and ${take.remaining} are left in ${whose}; retry in ${take.retryAfterSeconds} s`,
            );
          }
          charged = { cost, extra: surcharge };
        },
        async didEncounterErrors({ operation }) {
          // Refused before an operation was resolved (unparsable, invalid): a refusal's cost.
          if (!charged && !operation) await charge(REFUSED_COST, false);
        },
        async willSendResponse({ response, document, operation }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          if (report && charged && result.data !== undefined && document && operation) {
            // The real cost: an object returned costs 1, as the measure counted it (the root's data
            // object aside; at least 1 in all), plus what a mutation and each sign-in cost beyond
            // their objects. The buckets get the difference
            // back, or pay it when the declared sizes of lists fell short of the answer.
            const actual = Math.max(objectsInAnswer(document, operation, result.data), 1) + charged.extra;
            const difference = actual - charged.cost;
            if (difference !== 0) {
              store.adjust(buckets, difference);
              report = { ...report, cost: actual, remaining: Math.max(0, Math.floor(report.remaining - difference)) };
            }
          }
          if (report) result.extensions = { ...result.extensions, rateLimit: report };
          if (config.env === "production" && result.errors) {
            result.errors = result.errors.map((e) => (e.message.includes("Did you mean") ? { ...e, message: e.message.replace(SUGGESTION, "") } : e));
          }
        },
      };
    },
  };
}
