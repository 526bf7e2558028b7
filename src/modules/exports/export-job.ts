import { createHash, randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { UserRole } from "../../core/access";
import type { Principal } from "../../core/context";
import type { Job, JobHandler } from "../../db/jobs";
import { applyScope, withRequestRunner } from "../../db/request-scope";
import { readSyncHorizon } from "../../db/sql";
import { sql, sqlArrays } from "../../db/statements";
import { log } from "../../logger";
import { BulkExportKind, BulkExportStatus } from "./bulk-export.entity";
import { LINES } from "./lines";
import { bulkExportsOf, type ExportStorage } from "./storage";

export const WRITE_BULK_EXPORT_KIND = "bulk_export.write";
/** Tries of one export before it is FAILED. */
export const EXPORT_ATTEMPTS = 3;
/** Lines fetched from the cursor at a time: what the process holds of an export at once. */
const FETCH_LINES = 500;
/** What a failed export tells its distributor: never the database's message. */
const FAILED_MESSAGE = "The export could not be written; start another one. If it fails again, contact the exporter.";

interface Claimed {
  distributor_id: string;
  kind: BulkExportKind;
  updated_since: Date | null;
  requested_by_user_id: string | null;
  requested_by_api_client_id: string | null;
}

interface Written {
  objectCount: number;
  byteSize: number;
  sha256: string;
  horizon: string;
}

/**
 * Whom the export's statements run as: its distributor, exactly as a request of the person or
 * client that asked for it (never staff), so that row-level security holds the rows to that
 * distributor whatever the statement says. Only the tenant matters to the policies; the id names
 * the connection's scope (app.request_id) and must be a uuid.
 */
function tenantPrincipal(exportId: string, row: Claimed): Principal {
  if (row.requested_by_api_client_id) return { kind: "apiClient", id: row.requested_by_api_client_id, scopes: [], distributorId: row.distributor_id };
  return { kind: "user", id: row.requested_by_user_id ?? exportId, role: UserRole.BUYER, distributorId: row.distributor_id };
}

/**
 * Streams the export's lines from a cursor into the storage. One READ COMMITTED transaction on a
 * pool connection in the distributor's scope: the sync horizon is read first, in a statement of
 * its own (see readSyncHorizon), then the cursor is declared, which fixes its snapshot; batches of
 * FETCH_LINES lines go to the file as fast as it takes them (the storage's pipeline pulls the next
 * batch only once the last is written), so memory stays flat whatever the export's size.
 *
 * A cursor rather than pg-query-stream: the pool's connections run in pg's pipeline mode, which
 * refuses a query that keeps a portal open across round trips, and a connection of its own outside
 * the pool would escape its bound (and the embedded database's single session).
 */
async function writeLines(db: EntityManager, storage: ExportStorage, key: string, exportId: string, row: Claimed): Promise<Written> {
  await applyScope(db, tenantPrincipal(exportId, row), `bulk-export:${exportId}`);
  return db.transaction("READ COMMITTED", async (tx) => {
    const horizon = await readSyncHorizon(tx);
    await tx.query(`DECLARE bulk_export NO SCROLL CURSOR FOR ${LINES[row.kind]}`, [row.distributor_id, row.updated_since, horizon]);
    const hash = createHash("sha256");
    let objectCount = 0;
    let byteSize = 0;
    async function* batches(): AsyncGenerator<Buffer> {
      for (;;) {
        const lines = await sqlArrays(tx, `FETCH FORWARD ${FETCH_LINES} FROM bulk_export`);
        if (lines.length === 0) return;
        const chunk = Buffer.from(`${lines.map((line) => line[0] as string).join("\n")}\n`, "utf8");
        hash.update(chunk);
        objectCount += lines.length;
        byteSize += chunk.length;
        yield chunk;
        if (lines.length < FETCH_LINES) return;
      }
    }
    await storage.put(key, batches());
    await tx.query(`CLOSE bulk_export`);
    return { objectCount, byteSize, sha256: hash.digest("hex"), horizon };
  });
}

/** Writes one export's file; retried (EXPORT_ATTEMPTS in all) when it fails, then FAILED. */
export const WRITE_BULK_EXPORT: JobHandler = {
  kind: WRITE_BULK_EXPORT_KIND,
  // A run longer than this is taken over by another process; each run writes a file of its own
  // and only the first to finish is kept (see below), so a takeover never mixes two files.
  leaseMs: 10 * 60_000,
  async run(job: Job, { dataSource }) {
    const exportId = String(job.payload.exportId);
    const { config, storage } = bulkExportsOf(dataSource);
    const [row] = await withRequestRunner(dataSource, undefined, (db) =>
      sql<Claimed>(
        db,
        `UPDATE bulk_exports SET status = $2, started_at = now(), error = NULL
         WHERE id = $1 AND status IN ($2, $3)
         RETURNING distributor_id, kind, updated_since, requested_by_user_id, requested_by_api_client_id`,
        [exportId, BulkExportStatus.RUNNING, BulkExportStatus.QUEUED],
      ),
    );
    // Completed by a run that took this one over, or expired meanwhile: nothing to do.
    if (!row) return;
    const key = `${exportId}.${randomUUID()}.jsonl`;
    let written: Written;
    try {
      written = await withRequestRunner(dataSource, undefined, (db) => writeLines(db, storage, key, exportId, row));
    } catch (error) {
      await storage.delete(key).catch(() => undefined);
      const last = job.attempt >= job.maxAttempts;
      await withRequestRunner(dataSource, undefined, (db) =>
        sql(
          db,
          `UPDATE bulk_exports SET status = $2::varchar, error = $3, completed_at = CASE WHEN $2::varchar = 'FAILED' THEN now() END
           WHERE id = $1 AND status = 'RUNNING'`,
          [exportId, last ? BulkExportStatus.FAILED : BulkExportStatus.QUEUED, last ? FAILED_MESSAGE : null],
        ),
      );
      throw error;
    }
    const [kept] = await withRequestRunner(dataSource, undefined, (db) =>
      sql(
        db,
        `UPDATE bulk_exports SET status = 'COMPLETED', object_count = $2, byte_size = $3, sha256 = $4, horizon = $5::timestamptz, file_key = $6,
                completed_at = now(), expires_at = now() + make_interval(days => $7)
         WHERE id = $1 AND status = 'RUNNING' RETURNING id`,
        [exportId, written.objectCount, written.byteSize, written.sha256, written.horizon, key, config.exports.retentionDays],
      ),
    );
    if (!kept) {
      await storage.delete(key);
      return;
    }
    log.info("a bulk export was written", { bulkExport: exportId, kind: row.kind, objects: written.objectCount, bytes: written.byteSize });
  },
};

/** Exports expired at most in one sweep; the next sweep takes the rest. */
const EXPIRY_BATCH = 500;
/** Rows of expired and failed exports are kept this long after their files, for the record. */
const ROWS_KEPT_DAYS = 90;

/**
 * Deletes the files of completed exports past their retention and marks them EXPIRED; rows of
 * expired and failed exports go ROWS_KEPT_DAYS after they were asked for. A file is deleted before
 * its row is marked: a sweep that stops between the two leaves a COMPLETED row without a file (its
 * download answers 404) that the next sweep marks, never a file no row names.
 */
export async function expireBulkExports(dataSource: DataSource): Promise<number> {
  const { storage } = bulkExportsOf(dataSource);
  return withRequestRunner(dataSource, undefined, async (db) => {
    const due = await sql<{ id: string; file_key: string | null }>(
      db,
      `SELECT id, file_key FROM bulk_exports WHERE status = 'COMPLETED' AND expires_at <= now() ORDER BY expires_at LIMIT $1`,
      [EXPIRY_BATCH],
    );
    for (const { file_key: key } of due) if (key) await storage.delete(key);
    if (due.length > 0) {
      await sql(db, `UPDATE bulk_exports SET status = 'EXPIRED', file_key = NULL WHERE id = ANY($1::uuid[]) AND status = 'COMPLETED'`, [due.map((d) => d.id)]);
    }
    await sql(db, `DELETE FROM bulk_exports WHERE status IN ('EXPIRED', 'FAILED') AND created_at < now() - make_interval(days => $1)`, [ROWS_KEPT_DAYS]);
    return due.length;
  });
}

export const EXPIRE_BULK_EXPORTS: JobHandler = {
  kind: "bulk_export.expire",
  everyMs: 15 * 60_000,
  async run(_job, { dataSource }) {
    await expireBulkExports(dataSource);
  },
};
