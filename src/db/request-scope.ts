import type { ApolloServerPlugin } from "@apollo/server";
import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import type { RequestObservation } from "../observability/observation";
import { escapeLiteral } from "pg";
import { isStaff, type Principal, type RequestContext } from "../graphql/context";
import { log } from "../logger";
import { pipelined, type RunnerData, type ScopeStatement } from "./pipeline";

export const RLS_ROLE = "facet_rls";

// $1 the scope, $2 the distributor (empty for staff), $3 the request id.
const SETTINGS =
  `set_config('app.scope', $1, true), set_config('app.tenant_id', $2, true), set_config('app.request_id', $3, true), ` +
  `set_config('role', ${escapeLiteral(RLS_ROLE)}, true)`;

/**
 * The statements that put a transaction's row-level security settings in step with the caller:
 * the caller's distributor, or every distributor for staff, and the role facet_rls
 * (set_config('role', …, true) is SET LOCAL ROLE). Transaction-local, so a pooled connection never
 * carries them into the next request. The caller's values are parameters, so each statement's
 * text is the same for every caller of its kind, and a connection prepares it once (see
 * db/pipeline.ts) instead of PostgreSQL parsing and planning it ahead of every round trip.
 */
function scopeStatements(principal: Principal, requestId: string | undefined): ScopeStatement[] {
  const staff = isStaff(principal);
  const parameters = [staff ? "staff" : "tenant", staff ? "" : (principal.distributorId ?? ""), requestId ?? ""];
  if (!staff) return [{ sql: `SELECT set_config('app.audit_actor', '', true), ${SETTINGS}`, parameters }];
  // Staff writes are audited by a trigger that reads the actor ("id|name") from app.audit_actor,
  // looked up in a statement of its own, before the role changes.
  return [
    {
      sql: `SELECT set_config('app.audit_actor', COALESCE((SELECT u.id::text || '|' || u.name FROM users u WHERE u.id = CAST($1 AS uuid)), $2), true)`,
      parameters: [principal.id, `${principal.id}|unknown`],
    },
    { sql: `SELECT ${SETTINGS}`, parameters },
  ];
}

/** Puts the open transaction's row-level security settings in step with the caller (see scopeStatements). */
export async function applyScope(ctx: RequestContext): Promise<void> {
  const principal = ctx.principal;
  if (!principal || !ctx.db.queryRunner?.isTransactionActive) return;
  // Asked for together, so they share one round trip (see pipelined()).
  await Promise.all(scopeStatements(principal, ctx.requestId).map((statement) => ctx.db.query(statement.sql, [...statement.parameters])));
}

/** Sign-in reads every account, whoever is calling; `applyScope` narrows again afterwards. */
export async function systemScope(ctx: RequestContext): Promise<void> {
  if (!ctx.db.queryRunner?.isTransactionActive) return;
  await ctx.db.query(
    `SELECT set_config('role', 'none', true), set_config('app.scope', '', true), set_config('app.tenant_id', '', true), set_config('app.audit_actor', '', true)`,
  );
}

/**
 * A query runner for work done on behalf of one request: its statements are counted in the
 * request's observation. It takes a connection from the pool on its first statement and holds
 * it until released.
 */
export function observedRunner(dataSource: DataSource, observation: RequestObservation | undefined): QueryRunner {
  const runner = pipelined(dataSource.createQueryRunner());
  runner.data = { observation } satisfies RunnerData;
  return runner;
}

/** Runs `work` on a runner of its own, released afterwards. */
export async function withObservedRunner<T>(dataSource: DataSource, observation: RequestObservation | undefined, work: (db: EntityManager) => Promise<T>): Promise<T> {
  const runner = observedRunner(dataSource, observation);
  try {
    return await work(runner.manager);
  } finally {
    await runner.release();
  }
}

/**
 * Each request's context holds a query runner of its own (see createRequestContext); it takes
 * a connection only when the request first needs the database, and this plugin gives it back
 * when the response is ready. Every statement of a signed-in request runs as the role facet_rls,
 * which row-level security binds to the caller's distributor (see the row-level security
 * migration), set transaction-locally by scopeStatements():
 *
 * - a mutation runs in one transaction that begins with them (mutations nest their own work in
 *   savepoints inside it);
 * - a query runs in none: each of its round trips is one implicit transaction with them ahead
 *   of its statements (see pipelined()). At READ COMMITTED, PostgreSQL's default and the request
 *   transaction's, each statement reads its own snapshot either way, so a query loses no
 *   consistency; it saves the START and COMMIT, and holds no transaction open while its
 *   resolvers run.
 *
 * Anonymous requests (sign-in only) run without.
 */
export function requestScopePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const runner = contextValue.db.queryRunner;
      if (!runner) return;
      return {
        async executionDidStart({ operation }) {
          if (!contextValue.principal) return;
          // A query reads: each of its round trips carries the scope. A mutation runs in one
          // transaction, which the scope opens (see pipelined()).
          (runner.data as RunnerData).scope = scopeStatements(contextValue.principal, contextValue.requestId);
          if (operation.operation !== "query") await runner.startTransaction();
        },
        async willSendResponse({ response }) {
          // A request whose caller was not confirmed (see Confirmation) is answered afresh, and
          // nothing it began may stand.
          const failed =
            (runner.data as RunnerData).confirmation?.state === "failed" ||
            (response.body.kind === "single" && (response.body.singleResult.errors ?? []).some((e) => e.extensions?.code === "INTERNAL_SERVER_ERROR"));
          try {
            if (runner.isTransactionActive) {
              if (failed) await runner.rollbackTransaction();
              else await runner.commitTransaction();
            }
          } catch (error) {
            log.error("request transaction did not finish", { error, requestId: contextValue.requestId });
            if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
          } finally {
            await runner.release();
          }
        },
      };
    },
  };
}
