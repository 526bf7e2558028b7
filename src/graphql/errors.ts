import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from "typeorm";
import { NotSignedIn } from "../core/errors";
import { CommitFailed } from "../db/transaction";
import { log } from "../logger";

// The closed set of top-level error codes clients may branch on: Apollo Server's own, where it
// has one for the failure, and Facet's.
export const ErrorCode = {
  GRAPHQL_PARSE_FAILED: "GRAPHQL_PARSE_FAILED",
  GRAPHQL_VALIDATION_FAILED: "GRAPHQL_VALIDATION_FAILED",
  BAD_REQUEST: "BAD_REQUEST",
  PERSISTED_QUERY_NOT_FOUND: "PERSISTED_QUERY_NOT_FOUND",
  PERSISTED_QUERY_NOT_SUPPORTED: "PERSISTED_QUERY_NOT_SUPPORTED",
  OPERATION_RESOLUTION_FAILURE: "OPERATION_RESOLUTION_FAILURE",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  RATE_LIMITED: "RATE_LIMITED",
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  /** Facet is overloaded for a moment (no database connection came free in time): retry after `Retry-After` seconds. HTTP 503. */
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const PUBLIC_CODES = new Set<string>(Object.values(ErrorCode));

export const INTERNAL_ERROR_MESSAGE = "Internal server error";

export class AuthenticationError extends GraphQLError {
  constructor(message = "Authentication required: send a valid access token as 'Authorization: Bearer <token>'") {
    super(message, {
      extensions: {
        code: ErrorCode.UNAUTHENTICATED,
        http: { status: 401, headers: new Map([["www-authenticate", 'Bearer realm="facet"']]) },
      },
    });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(message = "You are not allowed to do this") {
    super(message, { extensions: { code: ErrorCode.FORBIDDEN } });
  }
}

/** A request GraphQL cannot serve as sent (a subscription over HTTP, say): HTTP 400. */
export class BadRequestError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } });
  }
}

/**
 * A bad argument of a query or of a non-mutation field; `argument` names it. With `status`, the
 * response's HTTP status (400) says so too, as for a value that must never reach the database.
 */
export class BadUserInputError extends GraphQLError {
  constructor(argument: string, message: string, { status }: { status?: 400 } = {}) {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argument, ...(status ? { http: { status } } : {}) } });
  }
}

/** How long a client is asked to wait before retrying a request Facet was too busy to serve. */
export const RETRY_AFTER_SECONDS = 3;
const BUSY_MESSAGE = `Facet is busy; retry in ${RETRY_AFTER_SECONDS} s`;

/**
 * Facet could not serve the request for now (the database pool gave no connection in time):
 * HTTP 503 with `Retry-After`, never a 500, so that clients and load balancers retry.
 */
export class ServiceUnavailableError extends GraphQLError {
  constructor(message = BUSY_MESSAGE) {
    super(message, {
      extensions: {
        code: ErrorCode.SERVICE_UNAVAILABLE,
        retryAfter: RETRY_AFTER_SECONDS,
        http: { status: 503, headers: new Map([["retry-after", String(RETRY_AFTER_SECONDS)]]) },
      },
    });
  }
}

/** The caller asked more than its budget allows for now: HTTP 429 with `Retry-After`. */
export function rateLimited(retryAfterSeconds: number, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfter: retryAfterSeconds,
      http: { status: 429, headers: new Map([["retry-after", String(retryAfterSeconds)]]) },
    },
  });
}

// pg-pool rejects a connect() that waited longer than connectionTimeoutMillis for a free client
// with a plain Error of this message, and no code (node_modules/pg-pool/index.js).
const POOL_TIMEOUT_MESSAGE = "timeout exceeded when trying to connect";

/** The error, the errors it wraps (a resolver's, a driver's) and their causes. */
function* causes(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  const queue = [error];
  while (queue.length) {
    const next = queue.shift();
    if (next === null || typeof next !== "object" || seen.has(next)) continue;
    seen.add(next);
    yield next;
    const { originalError, driverError, cause } = next as { originalError?: unknown; driverError?: unknown; cause?: unknown };
    queue.push(originalError, driverError, cause);
  }
}

/** Whether the error is the pool's: no connection came free within the connect timeout. */
function isPoolExhausted(error: unknown): boolean {
  for (const e of causes(error)) if ((e as { message?: unknown }).message === POOL_TIMEOUT_MESSAGE) return true;
  return false;
}

/** Logs, at warn, a temporary failure a client was told to retry (the two kinds docs/operations.md names). */
export function logTransient(error: unknown, fields: Record<string, unknown>): void {
  if (isPoolExhausted(error)) log.warn("no database connection came free in time", fields);
  else log.warn("a temporary database failure; the client was told to retry", { error, ...fields });
}

// Failures of the database that a later try may not meet: its connection went (class 08, an
// administrator's or a crash's termination 57P01-57P03), it has too many connections (53300), a
// statement ran out of time (57014) or a lock did not come within lock_timeout (55P03), or a
// conflict stayed after mutate()'s retries (40001, 40P01).
const TRANSIENT = /^(08...|57P0[123]|53300|57014|55P03|40001|40P01)$/;
const UNREACHABLE = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);

/**
 * Whether the error is a moment's trouble of the database, which the client should meet with a
 * retry: no pool connection in time, a TRANSIENT SQLSTATE, a connection that went, or a commit
 * that did not happen.
 */
export function isTransient(error: unknown): boolean {
  if (isPoolExhausted(error)) return true;
  for (const e of causes(error)) {
    if (e instanceof CommitFailed) return true;
    // TypeORM releases a query runner whose connection reported an error; Facet releases a
    // request's runner only after its work, so a released runner under way means a lost connection.
    if (e instanceof QueryRunnerAlreadyReleasedError || e instanceof QueryRunnerProviderAlreadyReleasedError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (TRANSIENT.test(code) || UNREACHABLE.has(code))) return true;
    if ((e as { message?: unknown }).message === "Connection terminated unexpectedly") return true;
  }
  return false;
}

/**
 * The SQLSTATE of a PostgreSQL data exception (class 22: a value too long for its column, a
 * number out of range, a date PostgreSQL cannot hold, a NUL character...) that the error is or
 * wraps, else undefined. Values are checked where they enter Facet; this is for any that slip by.
 */
export function dataException(error: unknown): string | undefined {
  for (const e of causes(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)) return code;
  }
  return undefined;
}

// What a client is told of a data exception: which kind of value was at fault, never the SQL,
// the column or the driver's words.
const DATA_EXCEPTION_MESSAGES: Record<string, string> = {
  "22001": "A text value in the request is longer than allowed",
  "22003": "A number in the request is out of range",
  "22007": "A date or time in the request is not valid",
  "22008": "A date or time in the request is out of range",
  "22009": "A date or time in the request is out of range",
  "22021": "A text value in the request holds a character that is not allowed",
  "22P02": "A value in the request is not valid",
};
const DATA_EXCEPTION_MESSAGE = "A value in the request is not valid or out of range";

export function dataExceptionMessage(sqlState: string): string {
  return DATA_EXCEPTION_MESSAGES[sqlState] ?? DATA_EXCEPTION_MESSAGE;
}

/** A value of the request the database refused (SQLSTATE class 22), where Facet answers it itself: HTTP 400. */
export class RefusedValueError extends GraphQLError {
  constructor(sqlState: string) {
    super(dataExceptionMessage(sqlState), { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
  }
}

/**
 * Records on the error the HTTP answer it calls for when it is not an error of ours: a data
 * exception is the client's bad value (400); an exhausted pool is a moment's overload (503,
 * Retry-After). Apollo Server takes a response's status and headers from the errors'
 * `extensions.http` before formatError sees them (normalizeAndFormatErrors), so a plugin calls
 * this as the errors are met (didEncounterErrors; see the server's observability plugin).
 */
export function recordHttpStatus(error: unknown): void {
  if (!(error instanceof GraphQLError) || error.extensions.http) return;
  const failure = notOurs(thrownBy(error));
  if (!failure) return;
  (error.extensions as Record<string, unknown>).http = failure.busy
    ? { status: 503, headers: new Map([["retry-after", String(RETRY_AFTER_SECONDS)]]) }
    : { status: 400 };
}

function publicCode(code: unknown): ErrorCode | undefined {
  if (typeof code !== "string") return undefined;
  if (PUBLIC_CODES.has(code)) return code as ErrorCode;
  if (code === "UNAUTHORIZED") return ErrorCode.FORBIDDEN; // type-graphql's name for a missing role
  return undefined;
}

/** What a GraphQL error stands for: the error a resolver, a plugin or the context function threw. */
function thrownBy(error: unknown): unknown {
  const original = unwrapResolverError(error);
  return original instanceof GraphQLError && original.originalError && !(original.originalError instanceof GraphQLError) ? original.originalError : original;
}

/**
 * A failure that is not a fault of ours: the database was busy or failed for a moment (no pool
 * connection in time, a transient SQLSTATE, a failed COMMIT), or refused a client's value.
 */
export function retryLater(error: unknown): boolean {
  const failure = notOurs(thrownBy(error));
  return failure !== undefined && failure.busy;
}

function notOurs(thrown: unknown): { busy: true } | { busy: false; sqlState: string } | undefined {
  if (thrown instanceof GraphQLError) return undefined;
  if (isTransient(thrown)) return { busy: true };
  const sqlState = dataException(thrown);
  return sqlState ? { busy: false, sqlState } : undefined;
}

/** The public code a client may see for this error, or undefined when it is an internal one. */
function clientCode(error: unknown, code: unknown): ErrorCode | undefined {
  const thrown = thrownBy(error);
  if (thrown instanceof NotSignedIn) return ErrorCode.UNAUTHENTICATED;
  const failure = notOurs(thrown);
  if (failure) return failure.busy ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.BAD_USER_INPUT;
  const known = thrown instanceof GraphQLError ? publicCode(code) : undefined;
  return known === ErrorCode.INTERNAL_SERVER_ERROR ? undefined : known;
}

/** Whether an error is one of ours that the client must not see (and the log must). */
export function isInternal(error: unknown): boolean {
  return clientCode(error, (error as { extensions?: { code?: unknown } } | null)?.extensions?.code) === undefined;
}

// The one place errors are shaped for clients: known errors keep their message and get a
// public code; anything unexpected reaches the client as a bare INTERNAL_SERVER_ERROR, with no
// message, stack, SQL or secret of ours in it. (It is logged in full, with the request's id, by
// the observability plugin, or where the request context is built.)
//
// Two kinds of failure of a statement are not ours and are answered as such, with a plain message
// and logged at warn: a PostgreSQL data exception (SQLSTATE class 22) is a value of the client's
// that got past the checks at the edge, BAD_USER_INPUT (HTTP 400); a pool that gave no connection
// in time is a moment's overload, SERVICE_UNAVAILABLE (HTTP 503 with Retry-After).
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const thrown = thrownBy(error);
  const failure = notOurs(thrown);
  if (failure) {
    const where = { locations: formatted.locations, path: formatted.path };
    if (failure.busy) {
      // (Logged with the request's id by the server's observability plugin.)
      return { ...where, message: BUSY_MESSAGE, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retryAfter: RETRY_AFTER_SECONDS } };
    }
    log.warn("bad value refused by the database", { sqlState: failure.sqlState, error: thrown, path: formatted.path });
    return { ...where, message: dataExceptionMessage(failure.sqlState), extensions: { code: ErrorCode.BAD_USER_INPUT } };
  }
  const code = clientCode(error, formatted.extensions?.code);
  if (code) {
    const { stacktrace: _stack, http: _http, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions: { ...extensions, code } };
  }
  return { message: INTERNAL_ERROR_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
