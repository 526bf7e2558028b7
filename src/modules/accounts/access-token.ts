import { createPublicKey, createSecretKey, randomUUID, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import type { Config } from "../../config";

// Claims Facet puts in its access tokens besides iss, aud, sub, iat, exp and jti.
export interface UserTokenClaims {
  typ: "user";
  sub: string;
  /** The user's token version when the token was issued; deactivation retires older tokens. */
  tv: number;
}
export interface ClientTokenClaims {
  typ: "client";
  sub: string;
  scope: string;
  /** The client's secret version when the token was issued; rotation retires older tokens. */
  sv: number;
}
export type TokenClaims = UserTokenClaims | ClientTokenClaims;

const CLOCK_TOLERANCE_SECONDS = 30;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function signAccessToken(config: Config, claims: TokenClaims): { token: string; expiresIn: number; expiresAt: Date } {
  const expiresIn = config.jwt.accessTokenTtlSeconds;
  const token = jwt.sign(claims, config.jwt.signingKey, {
    algorithm: config.jwt.algorithm,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    expiresIn,
    jwtid: randomUUID(),
  });
  const { exp } = jwt.decode(token) as { exp: number };
  return { token, expiresIn, expiresAt: new Date(exp * 1000) };
}

/**
 * What a configuration verifies tokens with, made once per configuration.
 *
 * The key: jsonwebtoken turns a key given as a string into a KeyObject on every call, first
 * trying it as a public key, which for an HS256 secret throws and catches an exception per request.
 *
 * The tokens it accepted: a client sends the same token with every request until it expires, and
 * what verification found of it (signature, algorithm, issuer, audience, claims) cannot change
 * while the configuration does not. So a token is checked again only when it is new. Bounded, the
 * oldest forgotten first. Only accepted tokens are kept: a stranger cannot fill it without tokens
 * Facet signed. Revocation is not decided here but by the caller, against the database, on every
 * request (see authenticate).
 */
interface Verifier {
  key: KeyObject;
  accepted: Map<string, { claims: TokenClaims; exp: number }>;
}
const ACCEPTED_TOKENS_KEPT = 10_000;
const verifiers = new WeakMap<Config["jwt"], Verifier>();
function verifierOf(config: Config): Verifier {
  let verifier = verifiers.get(config.jwt);
  if (!verifier) {
    const key = config.jwt.algorithm === "HS256" ? createSecretKey(Buffer.from(config.jwt.verifyingKey)) : createPublicKey(config.jwt.verifyingKey);
    verifiers.set(config.jwt, (verifier = { key, accepted: new Map() }));
  }
  return verifier;
}

/**
 * Verifies signature, algorithm, issuer, audience and expiry, then checks the claims' shape.
 * Returns null for any token Facet did not issue or that is no longer valid.
 */
export function verifyAccessToken(config: Config, token: string): TokenClaims | null {
  const { key, accepted } = verifierOf(config);
  const known = accepted.get(token);
  if (known) {
    // As jsonwebtoken decides expiry: expired from exp plus the tolerance on.
    if (Math.floor(Date.now() / 1000) < known.exp + CLOCK_TOLERANCE_SECONDS) return known.claims;
    accepted.delete(token);
    return null;
  }
  const verified = verify(config, key, token);
  if (!verified) return null;
  if (accepted.size >= ACCEPTED_TOKENS_KEPT) accepted.delete(accepted.keys().next().value!);
  accepted.set(token, verified);
  return verified.claims;
}

function verify(config: Config, key: KeyObject, token: string): { claims: TokenClaims; exp: number } | null {
  let payload: jwt.JwtPayload | string;
  try {
    payload = jwt.verify(token, key, {
      algorithms: [config.jwt.algorithm],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    });
  } catch {
    return null;
  }
  if (typeof payload === "string") return null;
  // jsonwebtoken accepts a token without exp; Facet does not, and caps the lifetime it allows.
  if (typeof payload.exp !== "number" || typeof payload.iat !== "number") return null;
  if (payload.exp - payload.iat > config.jwt.accessTokenTtlSeconds + CLOCK_TOLERANCE_SECONDS) return null;
  if (typeof payload.sub !== "string" || !UUID.test(payload.sub)) return null;
  const exp = payload.exp;
  if (payload.typ === "user" && Number.isInteger(payload.tv)) return { claims: Object.freeze({ typ: "user", sub: payload.sub, tv: payload.tv }), exp };
  if (payload.typ === "client" && typeof payload.scope === "string" && Number.isInteger(payload.sv)) {
    return { claims: Object.freeze({ typ: "client", sub: payload.sub, scope: payload.scope, sv: payload.sv }), exp };
  }
  return null;
}
