import type DataLoader from "dataloader";
import type { DataSource, EntityManager } from "typeorm";
import type { Config } from "../config";
import type { RequestObservation } from "../observability/observation";
import { UserRole, type ApiScope } from "./access";

/** Who is calling: a person, or a distributor's ERP client. */
export type Principal =
  | { kind: "user"; id: string; role: UserRole; distributorId: string | null }
  | { kind: "apiClient"; id: string; scopes: readonly ApiScope[]; distributorId: string };

/** Everything a service needs about the request, passed first to every service method. */
export interface RequestContext {
  requestId: string;
  config: Config;
  principal: Principal | null;
  /** The manager for this unit of work: the request's connection, or the transaction inside one. */
  db: EntityManager;
  dataSource: DataSource;
  /** Per-request DataLoaders, created on first use by db/loaders.ts, by factory and then by projection or scope. */
  loaders: Map<Function, Map<string, DataLoader<any, any>>>;
  ip: string | undefined;
  /** The HTTP request's observation (statements, operation, outcome); absent without HTTP. */
  observation?: RequestObservation;
  /**
   * Inside a transaction: what to do once it has committed (tell live subscribers of the events it
   * wrote). Run by db/transaction.ts after COMMIT, never after a rollback; absent outside one.
   */
  afterCommit?: (() => void)[];
}

export function isStaff(principal: Principal | null): boolean {
  return principal?.kind === "user" && (principal.role === UserRole.EXPORT_MANAGER || principal.role === UserRole.SUPPORT);
}
