import type DataLoader from "dataloader";
import type { DataSource, EntityManager } from "typeorm";
import type { Config } from "../config";
import { UserRole, type ApiScope } from "./access";
import { buildNamed } from "./loaders";
import type { RequestObservation } from "../observability/observation";
import type { Projection } from "./projection";

export type Principal =
  | { kind: "user"; id: string; role: UserRole; distributorId: string | null }
  | { kind: "apiClient"; id: string; scopes: readonly ApiScope[]; distributorId: string };

/** Everything a service needs about the request, passed first to every service method. */
export interface RequestContext {
  requestId: string;
  config: Config;
  principal: Principal | null;
  /** The manager for this unit of work: the pool outside a transaction, the transaction inside one. */
  db: EntityManager;
  dataSource: DataSource;
  /** Per-request DataLoaders, created on first use, one per factory and projection; see `loader()`. */
  loaders: Map<LoaderFactory<any, any>, Map<string, DataLoader<any, any>>>;
  ip: string | undefined;
  /** The HTTP request's observation (statements, operation, outcome); absent without HTTP. */
  observation?: RequestObservation;
}

/** Makes a request's loader; one that reads rows selects the columns of `projection` only (all when null). */
export type LoaderFactory<K, V> = (ctx: RequestContext, projection: Projection | null) => DataLoader<K, V>;

/**
 * The request's instance of a loader for a projection, created on first use and dropped with the
 * request. Rows of different projections are kept apart: a row is never given to a reader that
 * may read a column it lacks.
 */
export function loader<K, V>(ctx: RequestContext, factory: LoaderFactory<K, V>, projection: Projection | null = null): DataLoader<K, V> {
  let byProjection = ctx.loaders.get(factory);
  if (!byProjection) ctx.loaders.set(factory, (byProjection = new Map()));
  const key = projection?.key ?? "*";
  let instance = byProjection.get(key);
  if (!instance) {
    instance = buildNamed(factory.name || "unnamed", () => factory(ctx, projection));
    byProjection.set(key, instance);
  }
  return instance as DataLoader<K, V>;
}

export function isStaff(principal: Principal | null): boolean {
  return principal?.kind === "user" && (principal.role === UserRole.EXPORT_MANAGER || principal.role === UserRole.SUPPORT);
}
