import type { Readable } from "node:stream";
import type { DataSource } from "typeorm";
import { withRequestRunner } from "../../db/request-scope";
import { sql } from "../../db/statements";
import type { RequestObservation } from "../../observability/observation";
import { BulkExportStatus } from "./bulk-export.entity";
import { checkDownload } from "./download-url";
import { bulkExportsOf } from "./storage";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type Download =
  | { status: 200; body: Readable; size: number; filename: string }
  | { status: 403 | 404; error: string; message: string };

const notFound: Download = { status: 404, error: "not_found", message: "No such export file" };

/**
 * What a download URL answers. The request carries no token: the URL's signature is its
 * credential, so the export is read in the system's scope and the signature, over the export, its
 * distributor and the expiry, decides. An unknown export is 404; a signature that does not match,
 * or has expired, is 403; an export whose file is gone (expired, or not written yet) is 404.
 */
export async function findDownload(
  dataSource: DataSource,
  observation: RequestObservation | undefined,
  request: { exportId: string; expires: unknown; signature: unknown },
): Promise<Download> {
  const { config, storage } = bulkExportsOf(dataSource);
  const id = request.exportId.toLowerCase();
  if (!UUID.test(id)) return notFound;
  const [row] = await withRequestRunner(dataSource, observation, (db) =>
    sql<{ distributor_id: string; kind: string; status: string; file_key: string | null; created_at: Date }>(
      db,
      `SELECT distributor_id, kind, status, file_key, created_at FROM bulk_exports WHERE id = $1`,
      [id],
    ),
  );
  if (!row) return notFound;
  const check = checkDownload(config, id, row.distributor_id, String(request.expires ?? ""), String(request.signature ?? ""));
  if (check === "bad signature") return { status: 403, error: "forbidden", message: "The download URL's signature does not match: read the export's url again" };
  if (check === "expired") return { status: 403, error: "forbidden", message: "The download URL has expired: read the export's url again for a fresh one" };
  if (row.status !== BulkExportStatus.COMPLETED || !row.file_key) return notFound;
  const file = await storage.open(row.file_key);
  if (!file) return notFound;
  const day = new Date(row.created_at).toISOString().slice(0, 10);
  return { status: 200, body: file.body, size: file.size, filename: `facet-${row.kind.toLowerCase()}-${day}-${id}.jsonl` };
}
