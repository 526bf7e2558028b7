import type { ApolloServerPlugin } from "@apollo/server";
import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import type { RequestObservation } from "../observability/observation";
import { isStaff, type RequestContext } from "../graphql/context";
import { log } from "../logger";

export const RLS_ROLE = "facet_rls";

/**
 * Puts the transaction's row-level security settings in step with the caller: the caller's
 * distributor, or every distributor for staff. Transaction-local, so a pooled connection never
 * carries them into the next request.
 */
export async function applyScope(ctx: RequestContext): Promise<void> {
  const principal = ctx.principal;
  if (!principal || !ctx.db.queryRunner?.isTransactionActive) return;
  const staff = isStaff(principal);
  // Staff writes are audited by a trigger that reads the actor from app.audit_actor.
  const actor = staff ? `${principal.id}|${await staffName(ctx, principal.id)}` : "";
  // set_config('role', …, true) is SET LOCAL ROLE, in the same statement as the settings.
  await ctx.db.query(
    `SELECT set_config('role', $1, true), set_config('app.scope', $2, true), set_config('app.tenant_id', $3, true),
            set_config('app.audit_actor', $4, true), set_config('app.request_id', $5, true)`,
    [RLS_ROLE, staff ? "staff" : "tenant", staff ? "" : (principal.distributorId ?? ""), actor, ctx.requestId ?? ""],
  );
}

async function staffName(ctx: RequestContext, id: string): Promise<string> {
  const [row] = (await ctx.db.query(`SELECT name FROM users WHERE id = $1`, [id])) as { name: string }[];
  return row?.name ?? "unknown";
}

/** Sign-in reads every account, whoever is calling; `applyScope` narrows again afterwards. */
export async function systemScope(ctx: RequestContext): Promise<void> {
  if (!ctx.db.queryRunner?.isTransactionActive) return;
  await ctx.db.query(
    `SELECT set_config('role', 'none', true), set_config('app.scope', '', true), set_config('app.tenant_id', '', true), set_config('app.audit_actor', '', true)`,
  );
}

/**
 * A request's loaders fire side by side, but its transaction is one connection, which runs one
 * statement at a time: queue them here (in the order they were asked), rather than leaving pg to
 * queue them inside the client, which it deprecates.
 */
function serialized(runner: QueryRunner): QueryRunner {
  const query = runner.query.bind(runner);
  let tail: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner["query"]>) => {
    const result = tail.then(() => query(...args));
    tail = result.catch(() => undefined);
    return result;
  }) as QueryRunner["query"];
  return runner;
}

/**
 * A query runner for work done on behalf of one request: its statements are counted in the
 * request's observation. It takes a connection from the pool on its first statement and holds
 * it until released.
 */
export function observedRunner(dataSource: DataSource, observation: RequestObservation | undefined): QueryRunner {
  const runner = serialized(dataSource.createQueryRunner());
  runner.data = { observation };
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
 * when the response is ready. Every signed-in request runs in one transaction as the role
 * facet_rls, which row-level security binds to the caller's distributor (see the row-level
 * security migration). Mutations nest their own work in savepoints inside it. Anonymous requests
 * (sign-in only) run without.
 */
export function requestScopePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ contextValue }) {
      const runner = contextValue.db.queryRunner;
      if (!runner) return;
      return {
        async executionDidStart() {
          if (!contextValue.principal) return;
          await runner.startTransaction();
          await applyScope(contextValue);
        },
        async willSendResponse({ response }) {
          const failed =
            response.body.kind === "single" && (response.body.singleResult.errors ?? []).some((e) => e.extensions?.code === "INTERNAL_SERVER_ERROR");
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
