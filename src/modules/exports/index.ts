import { registerNode } from "../../graphql/node";
import { BulkExport } from "./bulk-export.entity";
import { EXPIRE_BULK_EXPORTS, WRITE_BULK_EXPORT } from "./export-job";
import { BulkExportResolver } from "./exports.resolver";
import { EXPORT_READERS, findBulkExportById } from "./exports.service";

// Readers of every kind may refetch an export; each one finds only those of the kinds it may read.
registerNode(BulkExport, "BulkExport", EXPORT_READERS, findBulkExportById);

export const exportsEntities = [BulkExport];
export const exportsResolvers = [BulkExportResolver] as const;
export const exportsJobs = [WRITE_BULK_EXPORT, EXPIRE_BULK_EXPORTS];

export { BulkExport, BulkExportKind, BulkExportStatus } from "./bulk-export.entity";
export { checkDownload, downloadPath } from "./download-url";
export { expireBulkExports, WRITE_BULK_EXPORT } from "./export-job";
export { bulkExportsOf, FileStorage, useBulkExports, type ExportSettings, type ExportStorage } from "./storage";
export { findDownload } from "./exports.download";
