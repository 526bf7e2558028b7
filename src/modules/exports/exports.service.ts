import { ApiScope, UserRole } from "../../core/access";
import type { RequestContext } from "../../core/context";
import { tenantOf } from "../../core/tenancy";
import { enqueueJob } from "../../db/jobs";
import { oneOf } from "../../db/rows";
import { sql } from "../../db/statements";
import { tenantQuery } from "../../db/tenancy";
import { paginate, type ConnectionArgs, type ConnectionResult, type Ordering } from "../../graphql/connection";
import { mutate } from "../../graphql/mutation";
import { idOfType } from "../../graphql/node";
import { Rejected, UserErrorCode, UserErrors, userError } from "../../graphql/user-error";
import { BulkExport, BulkExportKind, BulkExportStatus } from "./bulk-export.entity";
import { signedDownloadUrl, urlExpiry } from "./download-url";
import { EXPORT_ATTEMPTS, WRITE_BULK_EXPORT_KIND } from "./export-job";
import type { StartBulkExportInput, StartBulkExportPayload } from "./exports.inputs";

/**
 * Who may export, and read exports: a distributor's people, and its API clients with the read
 * scope of at least one kind. Each kind is then open only to the readers of its domain (an API
 * client with `catalog:read` alone neither starts nor sees an orders export). Staff are left out:
 * an export is one distributor's file, and a staff export of every distributor is not offered.
 */
export const EXPORT_READERS = [UserRole.BUYER, UserRole.DISTRIBUTOR_ADMIN, ApiScope.ORDERS_READ, ApiScope.SHIPMENTS_READ, ApiScope.CATALOG_READ] as const;

const SCOPE_OF: Record<BulkExportKind, ApiScope> = {
  [BulkExportKind.ORDERS]: ApiScope.ORDERS_READ,
  [BulkExportKind.SHIPMENTS]: ApiScope.SHIPMENTS_READ,
  [BulkExportKind.CATALOG]: ApiScope.CATALOG_READ,
};

const ALL_KINDS = Object.values(BulkExportKind);

/** The kinds the caller may export and read. */
export function readableKinds(ctx: RequestContext): BulkExportKind[] {
  const principal = ctx.principal;
  if (!principal) return [];
  if (principal.kind === "user") return principal.role === UserRole.BUYER || principal.role === UserRole.DISTRIBUTOR_ADMIN ? ALL_KINDS : [];
  return ALL_KINDS.filter((kind) => principal.scopes.includes(SCOPE_OF[kind]));
}

const NEWEST: Ordering<BulkExport> = { name: "newest", keys: [{ sql: "x.createdAt", direction: "DESC", value: (x) => x.createdAt }], id: "x.id" };

/** The caller's distributor's exports of the kinds it may read, newest first. */
export function listBulkExports(ctx: RequestContext, args: ConnectionArgs): Promise<ConnectionResult<BulkExport>> {
  const qb = tenantQuery(ctx, BulkExport, "x").andWhere("x.kind = ANY(:kinds)", { kinds: readableKinds(ctx) });
  return paginate(ctx.db, BulkExport, qb, args, NEWEST);
}

/** By database id: null when missing, another distributor's, or of a kind the caller may not read. */
export async function findBulkExportById(ctx: RequestContext, id: string): Promise<BulkExport | null> {
  const kinds = readableKinds(ctx);
  if (kinds.length === 0 || tenantOf(ctx) === null) return null;
  const qb = tenantQuery(ctx, BulkExport, "x").andWhere("x.id = :id", { id }).andWhere("x.kind = ANY(:kinds)", { kinds });
  return oneOf(ctx.db, BulkExport, qb);
}

/** By global id, for `bulkExport(id:)`. */
export function findBulkExport(ctx: RequestContext, globalId: string): Promise<BulkExport | null> {
  const id = idOfType(globalId, "BulkExport");
  return id ? findBulkExportById(ctx, id) : Promise.resolve(null);
}

/** A fresh signed download URL and its expiry, while the file is kept; null otherwise. */
export function downloadOf(ctx: RequestContext, bulkExport: BulkExport): { url: string; expiresAt: Date } | null {
  if (bulkExport.status !== BulkExportStatus.COMPLETED || !bulkExport.expiresAt || bulkExport.expiresAt.getTime() <= Date.now()) return null;
  const expires = urlExpiry(ctx.config, bulkExport.expiresAt);
  return { url: signedDownloadUrl(ctx.config, bulkExport.id, bulkExport.distributorId, expires), expiresAt: new Date(expires * 1000) };
}

/**
 * Starts an export: a QUEUED row and its job, in one transaction, so that neither exists without
 * the other. At most `EXPORTS_PER_DISTRIBUTOR` of a distributor's exports are queued or running
 * at once; the count is taken under a lock of the distributor's exports, so two concurrent starts
 * cannot both pass it.
 */
export async function startBulkExport(ctx: RequestContext, input: StartBulkExportInput): Promise<StartBulkExportPayload> {
  const tenant = tenantOf(ctx);
  const errors = new UserErrors();
  if (tenant === null) return { userErrors: userError(null, "Exports are a distributor's: sign in as one of its people or API clients", UserErrorCode.NOT_ALLOWED) };
  if (!readableKinds(ctx).includes(input.kind)) {
    errors.add(["input", "kind"], `Exporting ${input.kind} needs the ${SCOPE_OF[input.kind]} scope`, UserErrorCode.NOT_ALLOWED);
  }
  const since = input.updatedSince ?? null;
  if (since && since.getTime() > Date.now()) errors.add(["input", "updatedSince"], "updatedSince may not be in the future", UserErrorCode.OUT_OF_RANGE);
  if (errors.any) return { userErrors: errors.list };

  const principal = ctx.principal!;
  const limit = ctx.config.exports.maxActivePerDistributor;
  return mutate(ctx, async (tx) => {
    await sql(tx.db, `SELECT pg_advisory_xact_lock(hashtextextended('facet.bulk_exports:' || $1, 0))`, [tenant]);
    const [{ active }] = await sql<{ active: number }>(tx.db, `SELECT count(*)::int AS active FROM bulk_exports WHERE distributor_id = $1 AND status IN ('QUEUED', 'RUNNING')`, [tenant]);
    if (active >= limit) {
      throw new Rejected(
        userError(null, `Your distributor has ${active} exports under way, the most allowed at once; start another once one has completed`, UserErrorCode.LIMIT_REACHED),
      );
    }
    const [{ id }] = await sql<{ id: string }>(
      tx.db,
      `INSERT INTO bulk_exports (distributor_id, requested_by_user_id, requested_by_api_client_id, kind, updated_since, status)
       VALUES ($1, $2, $3, $4, $5, 'QUEUED') RETURNING id`,
      [tenant, principal.kind === "user" ? principal.id : null, principal.kind === "apiClient" ? principal.id : null, input.kind, since?.toISOString() ?? null],
    );
    // In the same transaction: the row and its job exist together or not at all.
    await enqueueJob(tx, WRITE_BULK_EXPORT_KIND, { exportId: id }, { uniqueKey: `bulk_export:${id}`, maxAttempts: EXPORT_ATTEMPTS });
    return { bulkExport: await findBulkExportById(tx, id), userErrors: [] };
  });
}
