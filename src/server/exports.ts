import type { FastifyInstance } from "fastify";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { findDownload, useBulkExports } from "../modules/exports";

/**
 * GET /exports/bulk/<id>.jsonl?expires=…&signature=…: a completed bulk export's file, for whoever
 * holds a URL that `BulkExport.url` signed (docs/bulk-export.md). Streamed from the storage, never
 * cached. Also sets, for this data source, the configuration and storage the bulk export jobs of
 * this process write with.
 */
export function exportRoutes(app: FastifyInstance, config: Config, dataSource: DataSource): void {
  useBulkExports(dataSource, config);
  app.get<{ Params: { file: string }; Querystring: { expires?: unknown; signature?: unknown } }>("/exports/bulk/:file", async (request, reply) => {
    const match = /^([0-9a-fA-F-]{36})\.jsonl$/.exec(request.params.file);
    const download = match
      ? await findDownload(dataSource, request.raw.observation, { exportId: match[1], expires: request.query.expires, signature: request.query.signature })
      : ({ status: 404, error: "not_found", message: "No such export file" } as const);
    reply.header("Cache-Control", "no-store");
    if (download.status !== 200) return reply.code(download.status).send({ error: download.error, error_description: download.message });
    return reply
      .header("Content-Type", "application/x-ndjson")
      .header("Content-Disposition", `attachment; filename="${download.filename}"`)
      .header("Content-Length", String(download.size))
      .send(download.body);
  });
}
