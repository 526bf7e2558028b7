import type { DataSource, EntityManager } from "typeorm";
import type { Config } from "../../config";
import { ALL_SCOPES, Roles, type ApiScope, type UserRole } from "../../core/access";
import type { Principal, RequestContext } from "../../core/context";
import { UserErrorCode, UserErrors } from "../../graphql/user-error";
import type { RequestObservation } from "../../observability/observation";
import { applyScope, markScoped, scopeSettings, withRequestRunner } from "../../db/request-scope";
import { sql } from "../../db/statements";
import { signAccessToken, type TokenClaims } from "./access-token";
import type { LoginInput, LoginPayload } from "./accounts.inputs";
import { ApiClient } from "./api-client.entity";
import { DEMO_ERP_SECRET, DEMO_PASSWORD } from "./demo-credentials";
import { dummySecretHash, verifySecret } from "./secrets";
import { Busy, InFlight, PER_ACCOUNT, PER_SOURCE, signInSlots, Slots, sourceOf } from "./sign-in-limits";
import { User } from "./user.entity";

// Failed sign-ins are counted per email and source (see sign-in-limits.ts): after FREE_ATTEMPTS
// failures in a row from one source, that source is locked out of the email for LOCK_BASE_MINUTES,
// doubling with every further failure up to a day. Failures from every source together lock at
// ACCOUNT_FREE_ATTEMPTS, but only sources the account has never signed in from: a stranger can
// neither lock the owner out nor guess on for long. An attempt is counted before its password is
// checked, in one transaction that locks the counters, so concurrent guesses cannot race past them;
// a success takes its count back. A success clears its source's count; an hour without failures
// starts a count afresh.
export const FREE_ATTEMPTS = 5;
export const ACCOUNT_FREE_ATTEMPTS = 20;
const LOCK_BASE_MINUTES = 15;
const KNOWN_SOURCE_DAYS = 90;
const MAX_PASSWORD_LENGTH = 1024;
const MAX_EMAIL_LENGTH = 254;

const inFlight = new InFlight();
// One secret checked at a time per process: a sign-in flood keeps one core busy at most.
const hashing = new Slots(1, 64);

function tooManyAttempts(until: Date): LoginPayload {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return {
    userErrors: new UserErrors().add(null, `Too many failed sign-ins for this email; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`, UserErrorCode.TOO_MANY_ATTEMPTS).list,
  };
}

const busy = (): LoginPayload => ({
  userErrors: new UserErrors().add(null, "Another sign-in for this email or from this address is in progress; try again in a few seconds", UserErrorCode.TOO_MANY_ATTEMPTS).list,
});

const invalidCredentials = (): LoginPayload => ({
  userErrors: new UserErrors().add(null, "Email or password is incorrect", UserErrorCode.INVALID_CREDENTIALS).list,
});

interface Counter {
  source: string;
  failures: number;
  recent: boolean;
  locked_until: Date | null;
  locked: boolean;
  known: boolean;
}

interface Account {
  id: string;
  role: UserRole;
  distributor_id: string | null;
  password_hash: string;
  active: boolean;
  token_version: number;
}

export type Attempt = { locked: Date } | { account: Account | null };

const lockInterval = (failures: number, free: number) =>
  `now() + least(interval '1 day', make_interval(mins => ${LOCK_BASE_MINUTES} * power(2, ${failures - free})::int))`;

/**
 * Counts a sign-in attempt for the email from the source before its password is checked, unless a
 * counter locks it out; returns the lock, or the account to check the password against.
 */
export async function reserveAttempt(db: EntityManager, email: string, source: string): Promise<Attempt> {
  return db.transaction(async (tx) => {
    await tx.query(`INSERT INTO login_attempts (email, source, failures, last_failure_at) VALUES ($1, $2, 0, now()), ($1, '*', 0, now()) ON CONFLICT DO NOTHING`, [email, source]);
    const counters: Counter[] = await tx.query(
      `SELECT a.source, a.failures, a.last_failure_at > now() - interval '1 hour' AS recent, a.locked_until, a.locked_until > now() AS locked,
         EXISTS (SELECT 1 FROM sign_in_sources s JOIN users u ON u.id = s.user_id
                 WHERE u.email = $1 AND s.source = $2 AND s.last_sign_in_at > now() - make_interval(days => $3)) AS known
       FROM login_attempts a WHERE a.email = $1 AND a.source IN ($2, '*') ORDER BY a.source FOR UPDATE OF a`,
      [email, source, KNOWN_SOURCE_DAYS],
    );
    const mine = counters.find((c) => c.source === source)!;
    const all = counters.find((c) => c.source === "*")!;
    if (mine.locked) return { locked: mine.locked_until! };
    if (all.locked && !mine.known) return { locked: all.locked_until! };
    const count = (c: Counter) => (c.recent ? c.failures + 1 : 1);
    const set = (c: Counter, free: number) =>
      tx.query(`UPDATE login_attempts SET failures = $3, last_failure_at = now(), locked_until = ${count(c) >= free ? lockInterval(count(c), free) : "NULL"} WHERE email = $1 AND source = $2`, [
        email,
        c.source,
        count(c),
      ]);
    await set(mine, FREE_ATTEMPTS);
    await set(all, ACCOUNT_FREE_ATTEMPTS);
    const [account] = await tx.query(`SELECT id, role, distributor_id, password_hash, active, token_version FROM users WHERE email = $1`, [email]);
    return { account: (account as Account | undefined) ?? null };
  });
}

/** After a successful sign-in: its source's count cleared, its attempt taken back from the email's, and the source remembered. */
async function recordSuccess(db: EntityManager, account: Account, email: string, source: string): Promise<void> {
  await db.query(
    `WITH cleared AS (DELETE FROM login_attempts WHERE email = $1 AND source = $2),
          taken_back AS (UPDATE login_attempts SET failures = greatest(failures - 1, 0) WHERE email = $1 AND source = '*'),
          remembered AS (
            INSERT INTO sign_in_sources (user_id, source, last_sign_in_at) VALUES ($3, $2, now())
            ON CONFLICT (user_id, source) DO UPDATE SET last_sign_in_at = now())
     UPDATE users SET last_login_at = now() WHERE id = $3`,
    [email, source, account.id],
  );
}

export async function login(ctx: RequestContext, input: LoginInput): Promise<LoginPayload> {
  const errors = new UserErrors();
  const email = (input.email ?? "").trim().toLowerCase();
  if (!email) errors.add(["input", "email"], "Email is required", UserErrorCode.REQUIRED);
  if (!input.password) errors.add(["input", "password"], "Password is required", UserErrorCode.REQUIRED);
  if (errors.any) return { userErrors: errors.list };
  // No account has such an email or password: answered as a wrong password, after as long.
  if (email.length > MAX_EMAIL_LENGTH || input.password.length > MAX_PASSWORD_LENGTH) {
    await hashing.run(async () => verifySecret("x", await dummySecretHash())).catch(() => undefined);
    return invalidCredentials();
  }

  const source = sourceOf(ctx.ip);
  const keys = [`source:${source}`, `email:${email}`];
  if (!inFlight.tryEnter([[keys[0], PER_SOURCE], [keys[1], PER_ACCOUNT]])) return busy();
  try {
    return await checkCredentials(ctx, email, input.password, source);
  } catch (error) {
    if (error instanceof Busy) return busy();
    throw error;
  } finally {
    inFlight.leave(keys);
  }
}

async function checkCredentials(ctx: RequestContext, email: string, password: string, source: string): Promise<LoginPayload> {
  // Each step on a connection of its own, given back before the password is checked.
  const slots = signInSlots(ctx.config.dbPoolSize);
  const bookkeeping = <T>(work: (db: EntityManager) => Promise<T>) => slots.run(() => withRequestRunner(ctx.dataSource, ctx.observation, work));

  const attempt = await bookkeeping((db) => reserveAttempt(db, email, source));
  if ("locked" in attempt) return tooManyAttempts(attempt.locked);
  const account = attempt.account;
  const usable = account !== null && account.active && !(ctx.config.env === "production" && password === DEMO_PASSWORD);
  // Without a usable account, still spend the time of a hash check: response time must not tell.
  const matches = await hashing.run(async () => (usable ? verifySecret(password, account.password_hash) : (await verifySecret("x", await dummySecretHash()), false)));
  if (!matches || !account) return invalidCredentials();

  await bookkeeping((db) => recordSuccess(db, account, email, source));
  // The rest of this response (the payload's user and what hangs off it) is read as the new user.
  const principal: Principal = { kind: "user", id: account.id, role: account.role, distributorId: account.distributor_id };
  ctx.principal = principal;
  await applyScope(ctx.db, principal, ctx.requestId);
  const user = await ctx.db.findOneByOrFail(User, { id: account.id });
  const { token, expiresIn, expiresAt } = signAccessToken(ctx.config, { typ: "user", sub: account.id, tv: account.token_version });
  return { accessToken: token, tokenType: "Bearer", expiresIn, expiresAt, user, userErrors: [] };
}

export type ClientCredentialsResult =
  | { ok: true; accessToken: string; expiresIn: number; scope: string }
  | { ok: false; error: "invalid_client" | "invalid_scope"; description: string };

/**
 * OAuth 2.0 client credentials grant (RFC 6749 §4.4) for ERP API clients. As with sign-in, the
 * secret is checked with no database connection held, and the bookkeeping takes its connections
 * from the few that sign-in may use.
 */
export async function clientCredentials(
  dataSource: DataSource,
  observation: RequestObservation | undefined,
  config: Config,
  request: { clientId: string; clientSecret: string; scope: string | undefined },
): Promise<ClientCredentialsResult> {
  const bookkeeping = <T>(work: (db: EntityManager) => Promise<T>) => signInSlots(config.dbPoolSize).run(() => withRequestRunner(dataSource, observation, work));
  const client = request.clientId.length <= 64 ? await bookkeeping((db) => db.findOneBy(ApiClient, { clientId: request.clientId })) : null;
  const usable =
    client !== null &&
    client.revokedAt === null &&
    request.clientSecret.length <= MAX_PASSWORD_LENGTH &&
    !(config.env === "production" && request.clientSecret === DEMO_ERP_SECRET);
  const matches = await hashing.run(async () => (usable ? verifySecret(request.clientSecret, client.secretHash) : (await verifySecret("x", await dummySecretHash()), false)));
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

  await bookkeeping((db) => db.update(ApiClient, { id: client.id }, { lastUsedAt: () => "now()" }));
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
