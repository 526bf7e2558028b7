import { AuditResolver } from "./audit.resolver";
import { AuditEntry } from "./audit-entry.entity";

export const auditEntities = [AuditEntry];
export const auditResolvers = [AuditResolver] as const;
