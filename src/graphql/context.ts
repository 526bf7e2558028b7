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
  /** Per-request DataLoaders, created on first use, one per factory and projection or scope; see `loader()`. */
  loaders: Map<LoaderFactory<any, any> | ScopedLoaderFactory<any, any>, Map<string, DataLoader<any, any>>>;
  ip: string | undefined;
  /** The HTTP request's observation (statements, operation, outcome); absent without HTTP. */
  observation?: RequestObservation;
}

/** Makes a request's loader; one that reads rows selects the columns of `projection` only (all when null). */
export type LoaderFactory<K, V> = (ctx: RequestContext, projection: Projection | null) => DataLoader<K, V>;

/** Makes a request's loader for one scope, such as one distributor's price list, keyed within it. */
export type ScopedLoaderFactory<K, V> = (ctx: RequestContext, scope: string) => DataLoader<K, V>;

/**
 * The request's instance of a loader for a projection, created on first use and dropped with the
 * request. Rows of different projections are kept apart: a row is never given to a reader that
 * may read a column it lacks.
 */
export function loader<K, V>(ctx: RequestContext, factory: LoaderFactory<K, V>, projection: Projection | null = null): DataLoader<K, V> {
  return instanceOf(ctx, factory, projection?.key ?? "*", () => factory(ctx, projection));
}

/** The request's instance of a loader for a scope, created on first use and dropped with the request. */
export function scopedLoader<K, V>(ctx: RequestContext, factory: ScopedLoaderFactory<K, V>, scope: string): DataLoader<K, V> {
  return instanceOf(ctx, factory, scope, () => factory(ctx, scope));
}

function instanceOf<K, V>(
  ctx: RequestContext,
  factory: LoaderFactory<K, V> | ScopedLoaderFactory<K, V>,
  key: string,
  build: () => DataLoader<K, V>,
): DataLoader<K, V> {
  let byKey = ctx.loaders.get(factory);
  if (!byKey) ctx.loaders.set(factory, (byKey = new Map()));
  let instance = byKey.get(key);
  if (!instance) {
    instance = buildNamed(factory.name || "unnamed", build);
    byKey.set(key, instance);
  }
  return instance as DataLoader<K, V>;
}

export function isStaff(principal: Principal | null): boolean {
  return principal?.kind === "user" && (principal.role === UserRole.EXPORT_MANAGER || principal.role === UserRole.SUPPORT);
}
