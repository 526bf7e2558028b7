import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { Principal, RequestContext } from "../core/context";
import { endRequestRunner, requestRunner } from "../db/request-scope";
import { AuthenticationError, dataException, isTransient, logTransient, RefusedValueError, ServiceUnavailableError } from "../graphql/errors";
import { log } from "../logger";
import { authenticate, verifyAccessToken } from "../modules/accounts";
import type { RequestObservation } from "../observability/observation";

const BEARER = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)$/i;
const REFUSED = "The access token is invalid, expired or revoked";

export interface ContextDeps {
  config: Config;
  dataSource: DataSource;
}

export interface RequestFacts {
  authorization: string | undefined;
  requestId: string;
  ip: string | undefined;
  observation?: RequestObservation;
}

/**
 * Builds the request context from the Authorization header, before the operation is parsed. No
 * header means an anonymous caller; a header with a bad, expired or revoked token is refused
 * outright with 401, so that an integration learns to fetch a new token instead of silently
 * seeing less.
 *
 * The context's `db` is a query runner of the request's own. For a signed-in caller it takes its
 * connection here, to read who the caller is and put the connection in the caller's scope, in one
 * statement (see authenticate); an anonymous request takes one only if it needs the database. It
 * must be given back with endRequest once the response is ready (see the /graphql route in app.ts).
 */
export async function createRequestContext(deps: ContextDeps, request: RequestFacts): Promise<RequestContext> {
  let claims = null;
  if (request.authorization) {
    const match = BEARER.exec(request.authorization.trim());
    if (!match) throw new AuthenticationError("The Authorization header must be 'Bearer <access token>'");
    claims = verifyAccessToken(deps.config, match[1]);
    if (!claims) throw new AuthenticationError(REFUSED);
  }
  const runner = requestRunner(deps.dataSource, request.observation);
  let principal: Principal | null = null;
  if (claims) {
    try {
      principal = await authenticate(runner.manager, claims, request.requestId);
    } catch (error) {
      await endRequestRunner(runner);
      throw clientFacing(error, request.requestId);
    }
    if (!principal) {
      await endRequestRunner(runner);
      throw new AuthenticationError(REFUSED);
    }
  }
  return {
    requestId: request.requestId,
    config: deps.config,
    principal,
    db: runner.manager,
    dataSource: deps.dataSource,
    loaders: new Map(),
    ip: request.ip,
    observation: request.observation,
  };
}

/**
 * What a failure to read the caller is answered with. Apollo Server answers an error of the
 * context function with the status in its `extensions.http`, and 500 without one, before any
 * plugin or formatError sees it: so a pool that gave no connection in time becomes 503 with
 * Retry-After here, and a value the database refused 400; anything else stays an internal error.
 */
function clientFacing(error: unknown, requestId: string): unknown {
  if (isTransient(error)) {
    logTransient(error, { requestId });
    return new ServiceUnavailableError();
  }
  const sqlState = dataException(error);
  if (sqlState) {
    log.warn("bad value refused by the database", { sqlState, error, requestId });
    return new RefusedValueError(sqlState);
  }
  return error;
}

/** Gives the request's connection back (see endRequestRunner); safe to call more than once. */
export function endRequest(context: RequestContext): Promise<void> {
  return context.db.queryRunner ? endRequestRunner(context.db.queryRunner) : Promise.resolve();
}
