import type { AuditActionName } from "@conclave/db/audit/audit-action";
import { auditDetailsSchemas } from "@conclave/db/audit/audit-details";

// Every audit action, for the console's filter: the keys of the details schema map,
// which the compiler already holds complete against the schema's enum.
export const auditActionNames = Object.keys(auditDetailsSchemas) as [
  AuditActionName,
  ...AuditActionName[],
];
