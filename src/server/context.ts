import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { RequestContext } from "../graphql/context";
import { AuthenticationError } from "../graphql/errors";
import { authenticate } from "../modules/accounts";

const BEARER = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)$/i;

export interface ContextDeps {
  config: Config;
  dataSource: DataSource;
}

/**
 * Builds the request context from the Authorization header. No header means an anonymous
 * caller; a header with a bad, expired or revoked token is refused outright with 401, so that
 * an integration learns to fetch a new token instead of silently seeing less.
 */
export async function createRequestContext(
  deps: ContextDeps,
  request: { authorization: string | undefined; requestId: string; ip: string | undefined },
): Promise<RequestContext> {
  let principal = null;
  if (request.authorization) {
    const match = BEARER.exec(request.authorization.trim());
    if (!match) throw new AuthenticationError("The Authorization header must be 'Bearer <access token>'");
    principal = await authenticate(deps.dataSource.manager, deps.config, match[1]);
    if (!principal) throw new AuthenticationError("The access token is invalid, expired or revoked");
  }
  return {
    requestId: request.requestId,
    config: deps.config,
    principal,
    db: deps.dataSource.manager,
    dataSource: deps.dataSource,
    loaders: new Map(),
    ip: request.ip,
  };
}
