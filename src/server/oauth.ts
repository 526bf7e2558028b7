import type { FastifyInstance, FastifyReply } from "fastify";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { clientCredentials } from "../modules/accounts";
import { log } from "../logger";
import { rateLimitRejections } from "../observability/metrics";
import type { RateLimitStore } from "./rate-limit";

// Each token request costs as much as a small query, charged to the caller's IP address, so
// guessing secrets is slow without slowing an ERP that asks for a token now and then.
const TOKEN_REQUEST_COST = 20;

type OAuthError = "invalid_request" | "invalid_client" | "invalid_grant" | "unsupported_grant_type" | "invalid_scope";

function fail(reply: FastifyReply, status: number, error: OAuthError, description: string, basicChallenge = false): FastifyReply {
  if (basicChallenge) reply.header("WWW-Authenticate", 'Basic realm="facet", charset="UTF-8"');
  return reply.code(status).send({ error, error_description: description });
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

const field = (body: Record<string, unknown>, name: string): string | undefined =>
  typeof body[name] === "string" ? (body[name] as string) : undefined;

/** `POST /oauth/token`: the OAuth 2.0 client credentials grant for ERP API clients. */
export function oauthRoutes(app: FastifyInstance, config: Config, dataSource: DataSource, rateLimits: RateLimitStore): void {
  app.post("/oauth/token", { bodyLimit: 10 * 1024 }, async (request, reply) => {
      const req = request.raw;
      reply.header("Cache-Control", "no-store").header("Pragma", "no-cache");
      const take = await rateLimits.take(`oauth-ip:${request.ip ?? "unknown"}`, TOKEN_REQUEST_COST, config.rateLimit.anonymous);
      if (!take.allowed) {
        rateLimitRejections.inc({ principal: "anonymous", endpoint: "oauth" });
        reply.header("Retry-After", String(take.retryAfterSeconds));
        return reply.code(429).send({ error: "rate_limited", error_description: `Too many token requests; retry in ${take.retryAfterSeconds} s` });
      }
      const body = (typeof request.body === "object" && request.body !== null ? request.body : {}) as Record<string, unknown>;
      const grantType = field(body, "grant_type");
      if (!grantType) return fail(reply, 400, "invalid_request", "grant_type is required");
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

      try {
        const result = await clientCredentials(dataSource, req.observation, config, { ...credentials, scope: field(body, "scope") });
        if (!result.ok) {
          return result.error === "invalid_client"
            ? fail(reply, 401, "invalid_client", result.description, Boolean(basic))
            : fail(reply, 400, result.error, result.description);
        }
        return reply.code(200).send({ access_token: result.accessToken, token_type: "Bearer", expires_in: result.expiresIn, scope: result.scope });
      } catch (error) {
        log.error("token endpoint failed", { error, requestId: req.requestId });
        return reply.code(500).send({ error: "server_error", error_description: "Internal server error" });
      }
  });
}
