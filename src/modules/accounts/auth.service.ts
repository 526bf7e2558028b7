import type { EntityManager } from "typeorm";
import type { Config } from "../../config";
import { ALL_SCOPES, Roles, type ApiScope, type UserRole } from "../../core/access";
import type { Principal, RequestContext } from "../../core/context";
import { UserErrorCode, UserErrors } from "../../graphql/user-error";
import { applyScope, markScoped, scopeSettings, systemScope } from "../../db/request-scope";
import { sql } from "../../db/statements";
import { signAccessToken, type TokenClaims } from "./access-token";
import type { LoginInput, LoginPayload } from "./accounts.inputs";
import { ApiClient } from "./api-client.entity";
import { LoginAttempt } from "./login-attempt.entity";
import { DEMO_ERP_SECRET, DEMO_PASSWORD } from "./demo-credentials";
import { dummySecretHash, verifySecret } from "./secrets";
import { User } from "./user.entity";

// After this many failures in a row for one email, sign-in is locked for LOCK_BASE_MINUTES, doubling
// with every further failure up to a day. A success clears the count; an hour without failures
// starts it afresh.
export const FREE_ATTEMPTS = 5;
const LOCK_BASE_MINUTES = 15;
const MAX_PASSWORD_LENGTH = 1024;

async function lockedUntil(db: EntityManager, email: string): Promise<Date | null> {
  const attempt = await db.findOneBy(LoginAttempt, { email });
  return attempt?.lockedUntil && attempt.lockedUntil > new Date() ? attempt.lockedUntil : null;
}

async function recordFailure(db: EntityManager, email: string): Promise<void> {
  await db.query(
    `INSERT INTO login_attempts AS a (email, failures, last_failure_at, locked_until)
     VALUES ($1, 1, now(), NULL)
     ON CONFLICT (email) DO UPDATE SET
       failures = CASE WHEN a.last_failure_at < now() - interval '1 hour' THEN 1 ELSE a.failures + 1 END,
       last_failure_at = now(),
       locked_until = CASE
         WHEN a.last_failure_at >= now() - interval '1 hour' AND a.failures + 1 >= $2
         THEN now() + least(interval '1 day', make_interval(mins => $3 * power(2, a.failures + 1 - $2)::int))
       END`,
    [email, FREE_ATTEMPTS, LOCK_BASE_MINUTES],
  );
}

function tooManyAttempts(until: Date): LoginPayload {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return {
    userErrors: new UserErrors().add(null, `Too many failed sign-ins for this email; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`, UserErrorCode.TOO_MANY_ATTEMPTS).list,
  };
}

export async function login(ctx: RequestContext, input: LoginInput): Promise<LoginPayload> {
  const errors = new UserErrors();
  const email = (input.email ?? "").trim().toLowerCase();
  if (!email) errors.add(["input", "email"], "Email is required", UserErrorCode.REQUIRED);
  if (!input.password) errors.add(["input", "password"], "Password is required", UserErrorCode.REQUIRED);
  if (errors.any) return { userErrors: errors.list };

  await systemScope(ctx.db);
  try {
    return await checkCredentials(ctx, email, input.password);
  } finally {
    // Back to the caller's scope: the new user's on success, the old caller's otherwise.
    if (ctx.principal) await applyScope(ctx.db, ctx.principal, ctx.requestId);
  }
}

async function checkCredentials(ctx: RequestContext, email: string, password: string): Promise<LoginPayload> {
  const until = await lockedUntil(ctx.db, email);
  if (until) return tooManyAttempts(until);

  const user = email.length <= 254 ? await ctx.db.findOneBy(User, { email }) : null;
  const usable =
    user !== null &&
    user.active &&
    password.length <= MAX_PASSWORD_LENGTH &&
    !(ctx.config.env === "production" && password === DEMO_PASSWORD);
  // Without a usable account, still spend the time of a hash check: response time must not tell.
  const matches = usable ? await verifySecret(password, user.passwordHash) : (await verifySecret("x", await dummySecretHash()), false);
  if (!matches || !user) {
    await recordFailure(ctx.db, email);
    return { userErrors: new UserErrors().add(null, "Email or password is incorrect", UserErrorCode.INVALID_CREDENTIALS).list };
  }

  await ctx.db.delete(LoginAttempt, { email });
  await ctx.db.update(User, { id: user.id }, { lastLoginAt: () => "now()" });
  // The rest of this response (the payload's user and what hangs off it) is read as the new user.
  ctx.principal = { kind: "user", id: user.id, role: user.role, distributorId: user.distributorId };
  const { token, expiresIn, expiresAt } = signAccessToken(ctx.config, { typ: "user", sub: user.id, tv: user.tokenVersion });
  return { accessToken: token, tokenType: "Bearer", expiresIn, expiresAt, user, userErrors: [] };
}

export type ClientCredentialsResult =
  | { ok: true; accessToken: string; expiresIn: number; scope: string }
  | { ok: false; error: "invalid_client" | "invalid_scope"; description: string };

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4) for ERP API clients. */
export async function clientCredentials(
  db: EntityManager,
  config: Config,
  request: { clientId: string; clientSecret: string; scope: string | undefined },
): Promise<ClientCredentialsResult> {
  const client = request.clientId.length <= 64 ? await db.findOneBy(ApiClient, { clientId: request.clientId }) : null;
  const usable =
    client !== null &&
    client.revokedAt === null &&
    request.clientSecret.length <= MAX_PASSWORD_LENGTH &&
    !(config.env === "production" && request.clientSecret === DEMO_ERP_SECRET);
  const matches = usable ? await verifySecret(request.clientSecret, client.secretHash) : (await verifySecret("x", await dummySecretHash()), false);
  if (!matches || !client) {
    return { ok: false, error: "invalid_client", description: "Client authentication failed" };
  }

  let scopes: ApiScope[] = client.scopes;
  if (request.scope !== undefined && request.scope.trim() !== "") {
    const requested = [...new Set(request.scope.trim().split(/ +/))];
    const unknown = requested.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) return { ok: false, error: "invalid_scope", description: `Unknown scope: ${unknown.join(" ")}` };
    const notGranted = requested.filter((s) => !(client.scopes as string[]).includes(s));
    if (notGranted.length > 0) return { ok: false, error: "invalid_scope", description: `Scope not granted to this client: ${notGranted.join(" ")}` };
    scopes = requested as ApiScope[];
  }

  await db.update(ApiClient, { id: client.id }, { lastUsedAt: () => "now()" });
  const scope = scopes.join(" ");
  const { token, expiresIn } = signAccessToken(config, { typ: "client", sub: client.id, scope, sv: client.secretVersion });
  return { ok: true, accessToken: token, expiresIn, scope };
}

const STAFF_ROLES = Roles.STAFF.map((role) => `'${role}'`).join(", ");

// Who is behind a token, read afresh on every request so that deactivation, revocation and secret
// rotation take effect at once; the same statement puts the request's connection in the caller's
// scope (see db/request-scope.ts), so knowing the caller costs no statement of its own. An account
// that no longer holds the token matches no row, and nothing is set.
const USER_CALLER = `SELECT u.id, u.role, u.distributor_id, ${scopeSettings({
  staff: `u.role IN (${STAFF_ROLES})`,
  tenantId: "COALESCE(u.distributor_id::text, '')",
  auditActor: "u.id::text || '|' || u.name",
  requestId: "$3",
})} FROM users u WHERE u.id = $1 AND u.active AND u.token_version = $2`;

const CLIENT_CALLER = `SELECT c.id, c.distributor_id, c.scopes, ${scopeSettings({
  staff: "false",
  tenantId: "c.distributor_id::text",
  auditActor: "''",
  requestId: "$3",
})} FROM api_clients c WHERE c.id = $1 AND c.revoked_at IS NULL AND c.secret_version = $2`;

/**
 * The principal behind a verified token's claims, and the request's connection (the manager's) in
 * its scope; null when the account no longer holds the token (deactivated, revoked, its secret
 * rotated: tokens issued before carry an older version and stay dead after reactivation).
 */
export async function authenticate(db: EntityManager, claims: TokenClaims, requestId: string): Promise<Principal | null> {
  if (claims.typ === "user") {
    const [user] = await sql<{ id: string; role: UserRole; distributor_id: string | null }>(db, USER_CALLER, [claims.sub, claims.tv, requestId]);
    if (!user) return null;
    markScoped(db);
    return { kind: "user", id: user.id, role: user.role, distributorId: user.distributor_id };
  }
  const [client] = await sql<{ id: string; distributor_id: string; scopes: ApiScope[] }>(db, CLIENT_CALLER, [claims.sub, claims.sv, requestId]);
  if (!client) return null;
  markScoped(db);
  // A client whose scopes were narrowed since keeps only what it still has.
  const granted = claims.scope.split(" ");
  return { kind: "apiClient", id: client.id, scopes: client.scopes.filter((s) => granted.includes(s)), distributorId: client.distributor_id };
}
