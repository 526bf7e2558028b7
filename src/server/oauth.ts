import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { dataException, ErrorCode, isTransient, logTransient, RETRY_AFTER_SECONDS } from "../graphql/errors";
import { clientCredentials, SignInBusy } from "../modules/accounts";
import { log } from "../logger";
import { rateLimitRejections } from "../observability/metrics";
import type { AddressGuard } from "./address-guard";
import type { RateLimitStore } from "./rate-limit";

// Each token request costs as much as a small query, charged to the caller's IP address, so
// guessing secrets is slow without slowing an ERP that asks for a token now and then.
const TOKEN_REQUEST_COST = 20;

// A token request is a few short parameters: its body is bounded far below the API's.
const BODY_LIMIT_BYTES = 10 * 1024;
const BODY_LIMIT = "10kb";

// No client id Facet issues is longer than its column (api_clients.client_id, varchar(64)), and
// no secret longer than sign-in checks: a longer one names no client.
const MAX_CLIENT_ID_LENGTH = 64;
const MAX_CLIENT_SECRET_LENGTH = 1024;

// RFC 6749 Appendix A allows no control character in any parameter (client_id and client_secret
// are VSCHARs, a scope NQCHARs and spaces): one, a NUL above all, makes the request malformed,
// invalid_request. (Other characters beyond ASCII are let through: secrets have been issued with them.)
const CONTROL = /[\u0000-\u001f\u007f]/;

type OAuthError = "invalid_request" | "invalid_client" | "invalid_grant" | "unsupported_grant_type" | "invalid_scope" | "temporarily_unavailable" | "server_error";

function fail(reply: FastifyReply, status: number, error: OAuthError, description: string, basicChallenge = false): FastifyReply {
  if (basicChallenge) reply.header("WWW-Authenticate", 'Basic realm="facet", charset="UTF-8"');
  return reply.code(status).send({ error, error_description: description });
}

/**
 * The token could not be issued for now (see isTransient; or too many token requests wait for a
 * connection): 503 with Retry-After, which clients retry, rather than a 500.
 * `temporarily_unavailable` is OAuth's word for it (RFC 6749 §4.1.2.1).
 */
function busy(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  logTransient(error, { requestId: request.raw.requestId, path: "/oauth/token" });
  request.raw.observation.errorCode = ErrorCode.SERVICE_UNAVAILABLE;
  reply.header("Retry-After", String(RETRY_AFTER_SECONDS));
  return fail(reply, 503, "temporarily_unavailable", `The token service is busy; retry in ${RETRY_AFTER_SECONDS} s`);
}

// RFC 6749 §2.3.1: client id and secret are form-urlencoded before they go into HTTP Basic.
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null | "malformed" {
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (!match) return "malformed";
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  try {
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  } catch {
    return "malformed";
  }
}

const PARAMETERS = ["grant_type", "client_id", "client_secret", "scope"] as const;

const field = (body: Record<string, unknown>, name: string): string | undefined =>
  typeof body[name] === "string" ? (body[name] as string) : undefined;

/** Why a parameter is malformed (RFC 6749 Appendix A), or undefined when it is well formed. */
function malformed(name: string, value: string | undefined): string | undefined {
  return value !== undefined && CONTROL.test(value) ? `${name} may not hold control characters (such as NUL)` : undefined;
}

/**
 * Failures before the handler runs, in OAuth's shape rather than GraphQL's: chiefly a body over
 * this route's own limit (413, naming it), and a body that is not a form.
 */
function tokenErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header("Cache-Control", "no-store").header("Pragma", "no-cache");
  if (isTransient(error)) return busy(error, request, reply);
  const status = typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) {
    log.error("token endpoint failed", { error, requestId: request.raw.requestId });
    request.raw.observation.errorCode = ErrorCode.INTERNAL_SERVER_ERROR;
    return fail(reply, 500, "server_error", "Internal server error");
  }
  request.raw.observation.errorCode = ErrorCode.BAD_REQUEST;
  const description =
    error.code === "FST_ERR_CTP_BODY_TOO_LARGE"
      ? `Request body is larger than ${BODY_LIMIT}`
      : error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
        ? "Send the parameters as application/x-www-form-urlencoded"
        : "The request body is malformed";
  return fail(reply, status, "invalid_request", description);
}

/** `POST /oauth/token`: the OAuth 2.0 client credentials grant for ERP API clients. */
export function oauthRoutes(
  app: FastifyInstance,
  config: Config,
  dataSource: DataSource,
  rateLimits: RateLimitStore,
  guard?: AddressGuard,
  onRequest?: onRequestHookHandler,
): void {
  app.post("/oauth/token", { bodyLimit: BODY_LIMIT_BYTES, errorHandler: tokenErrorHandler, ...(onRequest ? { onRequest } : {}) }, async (request, reply) => {
    const req = request.raw;
    reply.header("Cache-Control", "no-store").header("Pragma", "no-cache");
    const take = await rateLimits.take(`oauth-ip:${request.ip ?? "unknown"}`, TOKEN_REQUEST_COST, config.rateLimit.anonymous);
    if (!take.allowed) {
      rateLimitRejections.inc({ principal: "anonymous", endpoint: "oauth" });
      // The address's next token requests are refused before they are read (see AddressGuard).
      guard?.refused(`oauth|${request.ip}`, take.retryAfterSeconds);
      reply.header("Retry-After", String(take.retryAfterSeconds));
      return reply.code(429).send({ error: "rate_limited", error_description: `Too many token requests; retry in ${take.retryAfterSeconds} s` });
    }
    const body = (typeof request.body === "object" && request.body !== null ? request.body : {}) as Record<string, unknown>;
    // RFC 6749 §3.2: a parameter sent twice makes the request invalid.
    const repeated = PARAMETERS.find((name) => Array.isArray(body[name]));
    if (repeated) return fail(reply, 400, "invalid_request", `${repeated} is sent more than once`);
    const grantType = field(body, "grant_type");
    if (!grantType) return fail(reply, 400, "invalid_request", "grant_type is required");
    const badGrant = malformed("grant_type", grantType);
    if (badGrant) return fail(reply, 400, "invalid_request", badGrant);
    if (grantType !== "client_credentials") return fail(reply, 400, "unsupported_grant_type", "Only grant_type=client_credentials is supported");

    const basic = basicCredentials(req.headers.authorization);
    if (basic === "malformed") return fail(reply, 401, "invalid_client", "Malformed HTTP Basic credentials", true);
    const bodyId = field(body, "client_id");
    const bodySecret = field(body, "client_secret");
    if (basic && (bodyId !== undefined || bodySecret !== undefined)) {
      return fail(reply, 400, "invalid_request", "Authenticate with HTTP Basic or with client_id and client_secret, not both");
    }
    const credentials = basic ?? (bodyId !== undefined && bodySecret !== undefined ? { clientId: bodyId, clientSecret: bodySecret } : null);
    if (!credentials) return fail(reply, 401, "invalid_client", "Client authentication is required", true);
    const scope = field(body, "scope");
    const bad = malformed("client_id", credentials.clientId) ?? malformed("client_secret", credentials.clientSecret) ?? malformed("scope", scope);
    if (bad) return fail(reply, 400, "invalid_request", bad);
    // Too long to be any client's: answered as an unknown client, without asking the database.
    if (credentials.clientId.length > MAX_CLIENT_ID_LENGTH || credentials.clientSecret.length > MAX_CLIENT_SECRET_LENGTH) {
      return fail(reply, 401, "invalid_client", "Client authentication failed", Boolean(basic));
    }

    try {
      const result = await clientCredentials(dataSource, req.observation, config, { ...credentials, scope });
      if (!result.ok) {
        return result.error === "invalid_client"
          ? fail(reply, 401, "invalid_client", result.description, Boolean(basic))
          : fail(reply, 400, result.error, result.description);
      }
      return reply.code(200).send({ access_token: result.accessToken, token_type: "Bearer", expires_in: result.expiresIn, scope: result.scope });
    } catch (error) {
      if (isTransient(error) || error instanceof SignInBusy) return busy(error, request, reply);
      const sqlState = dataException(error);
      if (sqlState) {
        // A value the checks above let through and the database refused: the request's fault.
        log.warn("bad value refused by the database", { sqlState, error, requestId: req.requestId, path: "/oauth/token" });
        return fail(reply, 400, "invalid_request", "A parameter holds a value that is not valid");
      }
      log.error("token endpoint failed", { error, requestId: req.requestId });
      return reply.code(500).send({ error: "server_error", error_description: "Internal server error" });
    }
  });
}
