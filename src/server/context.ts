import type { DataSource, QueryRunner } from "typeorm";
import type { Config } from "../config";
import type { Principal, RequestContext } from "../core/context";
import { replicasOf, type ReplicaSet } from "../db/replicas";
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
  /**
   * What the GraphQL operation may do, told from the request's body before it is parsed (see
   * graphql/operation-kind.ts), when the database has read replicas: "read" (a query) may be
   * answered by a replica; "write" (anything else) runs on the primary and marks its caller's
   * writes for read-your-writes. Absent: the primary, and nothing marked.
   */
  access?: "read" | "write";
}

/** Requests that may write, on a primary with replicas: their caller's writes are marked as they end. */
const writing = new WeakMap<RequestContext, ReplicaSet>();

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
 *
 * A signed-in caller's query (`access` "read") takes its connection on a read replica when one may
 * answer it (see db/replicas.ts), and anything that fails there before the operation starts sends
 * it to the primary instead: a replica's failure is never the client's. The context's `dataSource`
 * is then the replica's, so that whatever reads through it reads where the request does.
 */
export async function createRequestContext(deps: ContextDeps, request: RequestFacts): Promise<RequestContext> {
  let claims = null;
  if (request.authorization) {
    const match = BEARER.exec(request.authorization.trim());
    if (!match) throw new AuthenticationError("The Authorization header must be 'Bearer <access token>'");
    claims = verifyAccessToken(deps.config, match[1]);
    if (!claims) throw new AuthenticationError(REFUSED);
  }
  const replicas = request.access ? replicasOf(deps.dataSource) : undefined;
  const onReplica = claims && replicas && request.access === "read" ? await callerOnReplica(replicas, claims, request) : undefined;
  const { runner, principal } = onReplica ?? (await callerOnPrimary(deps.dataSource, claims, request));
  const context: RequestContext = {
    requestId: request.requestId,
    config: deps.config,
    principal,
    db: runner.manager,
    dataSource: runner.dataSource,
    loaders: new Map(),
    ip: request.ip,
    observation: request.observation,
  };
  if (replicas && request.access === "write") writing.set(context, replicas);
  return context;
}

type Claims = NonNullable<ReturnType<typeof verifyAccessToken>>;

/** The request's runner on the primary, and its caller, read there when there are claims. */
async function callerOnPrimary(dataSource: DataSource, claims: Claims | null, request: RequestFacts): Promise<{ runner: QueryRunner; principal: Principal | null }> {
  const runner = requestRunner(dataSource, request.observation);
  if (!claims) return { runner, principal: null };
  let principal: Principal | null;
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
  return { runner, principal };
}

/**
 * The request's runner on a replica, and its caller, read there; undefined when the primary
 * answers instead: no replica may (see ReplicaSet.reader), the replica failed, or it does not
 * know the caller (an account or a token newer than its replay): whom to refuse, the primary
 * decides.
 */
async function callerOnReplica(replicas: ReplicaSet, claims: Claims, request: RequestFacts): Promise<{ runner: QueryRunner; principal: Principal } | undefined> {
  const runner = await replicas.reader(claims.sub, request.observation);
  if (!runner) return undefined;
  try {
    const principal = await authenticate(runner.manager, claims, request.requestId);
    if (principal) return { runner, principal };
  } catch (error) {
    replicas.failed(runner, error);
  }
  await endRequestRunner(runner);
  return undefined;
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

/**
 * Gives the request's connection back (see endRequestRunner); safe to call more than once. A
 * request that may have written first marks its caller's writes, by then committed, for
 * read-your-writes: one statement on its connection (see ReplicaSet.markWrites).
 */
export async function endRequest(context: RequestContext): Promise<void> {
  const runner = context.db.queryRunner;
  if (!runner) return;
  const replicas = writing.get(context);
  writing.delete(context);
  if (replicas && context.principal) await replicas.markWrites(context.db, context.principal.id);
  await endRequestRunner(runner);
}
