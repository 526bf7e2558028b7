import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { NotSignedIn } from "../core/errors";

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

/** A bad argument of a query or of a non-mutation field; `argument` names it. */
export class BadUserInputError extends GraphQLError {
  constructor(argument: string, message: string) {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argument } });
  }
}

function publicCode(code: unknown): ErrorCode | undefined {
  if (typeof code !== "string") return undefined;
  if (PUBLIC_CODES.has(code)) return code as ErrorCode;
  if (code === "UNAUTHORIZED") return ErrorCode.FORBIDDEN; // type-graphql's name for a missing role
  return undefined;
}

/** The public code a client may see for this error, or undefined when it is an internal one. */
function clientCode(error: unknown, code: unknown): ErrorCode | undefined {
  const original = unwrapResolverError(error);
  if (original instanceof NotSignedIn) return ErrorCode.UNAUTHENTICATED;
  const known = original instanceof GraphQLError ? publicCode(code) : undefined;
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
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = clientCode(error, formatted.extensions?.code);
  if (code) {
    const { stacktrace: _stack, http: _http, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions: { ...extensions, code } };
  }
  return { message: INTERNAL_ERROR_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
