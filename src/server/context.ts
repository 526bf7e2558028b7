import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { RequestContext } from "../graphql/context";
import { AuthenticationError } from "../graphql/errors";
import { authenticate, recallCaller } from "../modules/accounts";
import type { Confirmation, RunnerData } from "../db/pipeline";
import { observedRunner, withObservedRunner } from "../db/request-scope";
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
 * Builds the request context from the Authorization header. No header means an anonymous
 * caller; a header with a bad, expired or revoked token is refused outright with 401, so that
 * an integration learns to fetch a new token instead of silently seeing less.
 *
 * The caller is read from the database (see authenticate) on a runner of its own, released at
 * once: a request refused by HTTP rules after its context was built never reaches the plugin
 * that releases the request's runner, and must not hold a connection. With `recall`, a caller
 * this worker has already found behind the token is taken as found, and the database confirms it
 * in the request's own first round trip instead (see executeAsCaller).
 *
 * The context's `db` is a query runner of the request's own (it takes a connection on first use);
 * whoever executes the operation releases it, as requestScopePlugin does.
 */
export async function createRequestContext(deps: ContextDeps, request: RequestFacts, options: { recall?: boolean } = {}): Promise<RequestContext> {
  let principal = null;
  let confirmation: Confirmation | undefined;
  if (request.authorization) {
    const match = BEARER.exec(request.authorization.trim());
    if (!match) throw new AuthenticationError("The Authorization header must be 'Bearer <access token>'");
    const token = match[1];
    const known = options.recall ? recallCaller(deps.dataSource, deps.config, token) : null;
    if (known) {
      principal = known.principal;
      confirmation = { statement: known.confirmation, refuse: () => new AuthenticationError(REFUSED), state: "pending" };
    } else {
      principal = await withObservedRunner(deps.dataSource, request.observation, (db) => authenticate(db, deps.config, token));
    }
    if (!principal) throw new AuthenticationError(REFUSED);
  }
  const db = observedRunner(deps.dataSource, request.observation);
  if (confirmation) (db.data as RunnerData).confirmation = confirmation;
  return {
    requestId: request.requestId,
    config: deps.config,
    principal,
    db: db.manager,
    dataSource: deps.dataSource,
    loaders: new Map(),
    ip: request.ip,
    observation: request.observation,
  };
}

/**
 * Executes a request as the caller behind its token. A caller this worker has found before is
 * taken as found, and the database confirms that the account still holds the token, as it was,
 * ahead of the first statements the request sends and in the same round trip (see Confirmation
 * in db/pipeline.ts): should it not, those statements are skipped, and nothing is read or written
 * on its strength. That saves each request a round trip of its own for its caller.
 *
 * The answer is given only once the caller is confirmed: a request that sent no statement has
 * it confirmed afterwards. Should the confirmation fail (a deactivation, a revocation, a secret
 * rotated, an account changed), the answer is dropped and the request runs once more with its
 * caller read afresh, exactly as a request with a token this worker has not seen: refused with
 * 401, or run as the account now is.
 */
export async function executeAsCaller<T>(deps: ContextDeps, request: RequestFacts, execute: (context: () => Promise<RequestContext>) => Promise<T>): Promise<T> {
  let first: RequestContext | undefined;
  const answer = await execute(async () => (first = await createRequestContext(deps, request, { recall: true })));
  const confirmation = (first?.db.queryRunner?.data as RunnerData | undefined)?.confirmation;
  if (!confirmation || (await confirmed(deps, request, confirmation))) return answer;
  if (request.observation) Object.assign(request.observation, { operation: null, principal: "anonymous", errorCode: null });
  return execute(() => createRequestContext(deps, request));
}

async function confirmed(deps: ContextDeps, request: RequestFacts, confirmation: Confirmation): Promise<boolean> {
  if (confirmation.state !== "pending") return confirmation.state === "confirmed";
  try {
    await withObservedRunner(deps.dataSource, request.observation, (db) => db.query(confirmation.statement.sql, [...confirmation.statement.parameters]));
    return true;
  } catch {
    return false; // read afresh, which answers for itself
  }
}
