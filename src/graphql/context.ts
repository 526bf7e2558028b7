import type DataLoader from "dataloader";
import type { DataSource, EntityManager } from "typeorm";
import type { Config } from "../config";
import { UserRole, type ApiScope } from "./access";
import { buildNamed } from "./loaders";
import type { RequestObservation } from "../observability/observation";

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
  /** Per-request DataLoaders, created on first use; see `loader()`. */
  loaders: Map<LoaderFactory<any, any>, DataLoader<any, any>>;
  ip: string | undefined;
  /** The HTTP request's observation (statements, operation, outcome); absent without HTTP. */
  observation?: RequestObservation;
}

export type LoaderFactory<K, V> = (ctx: RequestContext) => DataLoader<K, V>;

/** The request's instance of a loader, created on first use and dropped with the request. */
export function loader<K, V>(ctx: RequestContext, factory: LoaderFactory<K, V>): DataLoader<K, V> {
  let instance = ctx.loaders.get(factory);
  if (!instance) {
    instance = buildNamed(factory.name || "unnamed", () => factory(ctx));
    ctx.loaders.set(factory, instance);
  }
  return instance as DataLoader<K, V>;
}

export function isStaff(principal: Principal | null): boolean {
  return principal?.kind === "user" && (principal.role === UserRole.EXPORT_MANAGER || principal.role === UserRole.SUPPORT);
}
