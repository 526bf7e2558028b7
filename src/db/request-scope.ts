import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import { isStaff, type Principal } from "../core/context";
import { log } from "../logger";
import type { RequestObservation } from "../observability/observation";

export const RLS_ROLE = "facet_rls";

// Row-level security binds every statement of a signed-in request to its caller: the request's
// connection runs as the role facet_rls with app.scope ('tenant' or 'staff') and app.tenant_id
// (the caller's distributor) set for the connection (see the row-level security migration). They
// are set when the request takes the connection, in the very statement that reads who the caller
// is (see the accounts module's authenticate), and reset before the connection goes back to the
// pool; a connection whose reset fails is closed instead. A connection in the pool is therefore
// always in the system's scope (no role, no scope: it sees everything), which sign-in, token
// requests, migrations and seeding use.

/** What a request's query runner carries: its observation, and whether its connection is scoped. */
interface RunnerData {
  observation?: RequestObservation;
  scoped?: boolean;
  ended?: Promise<void>;
}

const dataOf = (runner: QueryRunner) => runner.data as RunnerData;

/**
 * SQL expressions for the values of a caller's scope; they may use the statement's parameters and,
 * in the statement that reads the caller, its columns.
 */
export interface ScopeExpressions {
  /** True for exporter staff, who see every distributor. */
  staff: string;
  /** The caller's distributor as text. */
  tenantId: string;
  /** Who the audit trigger records for a staff write: "id|name". */
  auditActor: string;
  requestId: string;
}

/** The select list that puts a connection in a caller's scope, for the rest of the request. */
export function scopeSettings(e: ScopeExpressions): string {
  return [
    `set_config('app.scope', CASE WHEN ${e.staff} THEN 'staff' ELSE 'tenant' END, false)`,
    `set_config('app.tenant_id', CASE WHEN ${e.staff} THEN '' ELSE ${e.tenantId} END, false)`,
    `set_config('app.audit_actor', CASE WHEN ${e.staff} THEN ${e.auditActor} ELSE '' END, false)`,
    `set_config('app.request_id', ${e.requestId}, false)`,
    `set_config('role', '${RLS_ROLE}', false)`,
  ].join(", ");
}

const SYSTEM_SCOPE =
  `SELECT set_config('role', 'none', false), set_config('app.scope', '', false), set_config('app.tenant_id', '', false), ` +
  `set_config('app.audit_actor', '', false), set_config('app.request_id', '', false)`;

/** Records that the manager's connection now holds a caller's scope, which must be reset before it is released. */
export function markScoped(db: EntityManager): void {
  if (db.queryRunner) dataOf(db.queryRunner).scoped = true;
}

/** Puts the manager's connection in a known caller's scope (after sign-in, say). */
export async function applyScope(db: EntityManager, principal: Principal, requestId: string): Promise<void> {
  const staff = isStaff(principal);
  await db.query(
    `SELECT ${scopeSettings({
      staff: "$1::boolean",
      tenantId: "$2",
      // Looked up before the role changes: the name as it is now.
      auditActor: `COALESCE((SELECT u.id::text || '|' || u.name FROM users u WHERE u.id = CAST($3 AS uuid)), $3 || '|unknown')`,
      requestId: "$4",
    })}`,
    [staff, principal.distributorId ?? "", principal.id, requestId],
  );
  markScoped(db);
}

/** Puts the manager's connection back in the system's scope (sign-in reads every account); it is there already unless a caller's scope was applied. */
export async function systemScope(db: EntityManager): Promise<void> {
  if (!db.queryRunner || !dataOf(db.queryRunner).scoped) return;
  await db.query(SYSTEM_SCOPE);
  dataOf(db.queryRunner).scoped = false;
}

/** A query runner for one request: it takes a connection on its first statement, and counts its statements in `observation`. */
export function requestRunner(dataSource: DataSource, observation: RequestObservation | undefined): QueryRunner {
  const runner = dataSource.createQueryRunner();
  runner.data = { observation } satisfies RunnerData;
  return runner;
}

/**
 * Gives a request's connection back: a transaction left open is rolled back, the caller's scope is
 * reset, and only then does the connection return to the pool; should either fail, the connection
 * is closed instead. Safe to call more than once.
 */
export function endRequestRunner(runner: QueryRunner): Promise<void> {
  const data = dataOf(runner);
  data.ended ??= (async () => {
    if (runner.isReleased) return;
    try {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      if (data.scoped) await runner.query(SYSTEM_SCOPE);
      data.scoped = false;
    } catch (error) {
      log.warn("a request's connection could not be reset; it is closed", { error });
      // pg's pool drops a client that is ending instead of keeping it.
      await ((await runner.connect()) as { end(): Promise<void> }).end().catch(() => undefined);
    } finally {
      await runner.release();
    }
  })();
  return data.ended;
}

/** Runs `work` on a request runner of its own, given back afterwards. */
export async function withRequestRunner<T>(dataSource: DataSource, observation: RequestObservation | undefined, work: (db: EntityManager) => Promise<T>): Promise<T> {
  const runner = requestRunner(dataSource, observation);
  try {
    return await work(runner.manager);
  } finally {
    await endRequestRunner(runner);
  }
}
