import type { AuditAction } from "../generated/prisma/enums";

// Prisma names enum values `vault_create`; the database (and every reader) sees the
// mapped value `vault.create`: the first underscore is the dot.
type Dotted<Name extends string> = Name extends `${infer Domain}_${infer Verb}`
  ? `${Domain}.${Verb}`
  : never;

/** The closed set of audit actions, as stored: "vault.create", "token.reuse_detected", ... */
export type AuditActionName = Dotted<AuditAction>;

export function toAuditActionName(action: AuditAction): AuditActionName {
  return action.replace("_", ".") as AuditActionName;
}

export function toPrismaAuditAction(name: AuditActionName): AuditAction {
  return name.replace(".", "_") as AuditAction;
}
