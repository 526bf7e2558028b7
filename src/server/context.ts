import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { RequestContext } from "../graphql/context";
import { AuthenticationError } from "../graphql/errors";
import { authenticate } from "../modules/accounts";
import { observedRunner, withObservedRunner } from "../db/request-scope";
import type { RequestObservation } from "../observability/observation";

const BEARER = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)$/i;

export interface ContextDeps {
  config: Config;
  dataSource: DataSource;
}

/**
 * Builds the request context from the Authorization header. No header means an anonymous
 * caller; a header with a bad, expired or revoked token is refused outright with 401, so that
 * an integration learns to fetch a new token instead of silently seeing less.
 *
 * The context's `db` is a query runner of the request's own (it takes a connection on first use);
 * whoever executes the operation releases it, as requestScopePlugin does. The token check runs on
 * a runner of its own, released at once: a request refused by HTTP rules after its context was
 * built never reaches that plugin, and must not hold a connection.
 */
export async function createRequestContext(
  deps: ContextDeps,
  request: { authorization: string | undefined; requestId: string; ip: string | undefined; observation?: RequestObservation },
): Promise<RequestContext> {
  let principal = null;
  if (request.authorization) {
    const match = BEARER.exec(request.authorization.trim());
    if (!match) throw new AuthenticationError("The Authorization header must be 'Bearer <access token>'");
    const token = match[1];
    principal = await withObservedRunner(deps.dataSource, request.observation, (db) => authenticate(db, deps.config, token));
    if (!principal) throw new AuthenticationError("The access token is invalid, expired or revoked");
  }
  return {
    requestId: request.requestId,
    config: deps.config,
    principal,
    db: observedRunner(deps.dataSource, request.observation).manager,
    dataSource: deps.dataSource,
    loaders: new Map(),
    ip: request.ip,
    observation: request.observation,
  };
}
