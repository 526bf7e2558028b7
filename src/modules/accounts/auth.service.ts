import { prepareValue } from "pg/lib/utils";
import type { DataSource, EntityManager } from "typeorm";
import type { Config } from "../../config";
import { ALL_SCOPES, type ApiScope, type UserRole } from "../../graphql/access";
import type { Principal, RequestContext } from "../../graphql/context";
import { UserErrorCode, UserErrors } from "../../graphql/user-error";
import type { ScopeStatement } from "../../db/pipeline";
import { applyScope, systemScope } from "../../db/request-scope";
import { signAccessToken, verifyAccessToken } from "./access-token";
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

  await systemScope(ctx);
  try {
    return await checkCredentials(ctx, email, input.password);
  } finally {
    // Back to the caller's scope: the new user's on success, the old caller's otherwise.
    await applyScope(ctx);
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

/**
 * A caller a worker found behind a token, with the statement by which the database confirms,
 * later, that the account still holds the token and is still as it was found: active or not
 * revoked, at the token's version, with the same role, distributor and scopes (see the
 * PrincipalConfirmation migration).
 */
export interface KnownCaller {
  principal: Principal;
  confirmation: ScopeStatement;
}

/**
 * The callers a worker found, by data source and then by token, each as its last lookup found it.
 * Bounded, the oldest forgotten first. Whether one still holds is never decided here: see
 * createRequestContext in server/context.ts.
 */
const CALLERS_KEPT = 10_000;
const callers = new WeakMap<DataSource, Map<string, KnownCaller>>();

/**
 * The caller the last lookup of this token found, if the token is still acceptable; yet to be
 * confirmed by the database.
 */
export function recallCaller(dataSource: DataSource, config: Config, token: string): KnownCaller | null {
  if (!verifyAccessToken(config, token)) return null;
  return callers.get(dataSource)?.get(token) ?? null;
}

function remember(db: EntityManager, token: string, caller: KnownCaller | null): Principal | null {
  let known = callers.get(db.connection);
  if (!known) callers.set(db.connection, (known = new Map()));
  known.delete(token);
  if (!caller) return null;
  if (known.size >= CALLERS_KEPT) known.delete(known.keys().next().value!);
  known.set(token, caller);
  return caller.principal;
}

/**
 * The principal behind a bearer token, read afresh from the database so that deactivation,
 * revocation and secret rotation take effect at once. Null when the token is not acceptable.
 * Every request with a token this worker has not seen asks this (and, see recallCaller, every
 * request whose caller's confirmation failed), so it reads the few columns it needs and no entity.
 */
export async function authenticate(db: EntityManager, config: Config, token: string): Promise<Principal | null> {
  const claims = verifyAccessToken(config, token);
  if (!claims) return null;
  if (claims.typ === "user") {
    const [user] = (await db.query(`SELECT id, role, distributor_id, active, token_version FROM users WHERE id = $1`, [claims.sub])) as {
      id: string;
      role: UserRole;
      distributor_id: string | null;
      active: boolean;
      token_version: number;
    }[];
    // Tokens issued before a deactivation carry an older version and stay dead after reactivation.
    if (!user || !user.active || user.token_version !== claims.tv) return remember(db, token, null);
    return remember(db, token, {
      principal: { kind: "user", id: user.id, role: user.role, distributorId: user.distributor_id },
      confirmation: {
        sql: `SELECT facet_confirm_user($1, $2, $3, NULLIF($4, '')::uuid)`,
        parameters: [user.id, String(user.token_version), user.role, user.distributor_id ?? ""],
      },
    });
  }
  const [client] = (await db.query(`SELECT id, distributor_id, scopes, revoked_at IS NOT NULL AS revoked, secret_version FROM api_clients WHERE id = $1`, [claims.sub])) as {
    id: string;
    distributor_id: string;
    scopes: ApiScope[];
    revoked: boolean;
    secret_version: number;
  }[];
  if (!client || client.revoked || client.secret_version !== claims.sv) return remember(db, token, null);
  // A client whose scopes were narrowed since keeps only what it still has.
  const scopes = client.scopes.filter((s) => claims.scope.split(" ").includes(s));
  return remember(db, token, {
    principal: { kind: "apiClient", id: client.id, scopes, distributorId: client.distributor_id },
    confirmation: {
      sql: `SELECT facet_confirm_api_client($1, $2, $3, $4)`,
      parameters: [client.id, String(client.secret_version), client.distributor_id, prepareValue(client.scopes) as string],
    },
  });
}
