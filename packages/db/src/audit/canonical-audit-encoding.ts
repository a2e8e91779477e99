// The bytes an audit row's hash covers.
//
// Encoding (version "conclave.audit.v1"): the UTF-8 JSON text of the array
//   ["conclave.audit.v1", seq, at, actorType, actorId, action, targetType, targetId,
//    ip, userAgent, requestId, outcome, details, prevHash]
// where seq is a decimal string, `at` is ISO-8601 UTC with exactly milliseconds
// (the column is timestamptz(3), so it reads back identically), action is the dotted
// database value ("vault.create"), absent optional fields are JSON null, details is
// canonical JSON (object keys sorted by UTF-16 code unit order, no whitespace), and
// prevHash is the previous row's hash (64 zero digits for the first row). Every string
// goes through JSON.stringify, so no field can spill into its neighbour.
//
// hash = lowercase hex sha256 of that text: the row's canonical fields followed by prevHash.
import { createHash } from "node:crypto";

export const auditEncodingVersion = "conclave.audit.v1";
export const auditGenesisHash = "0".repeat(64);

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface AuditHashedFields {
  seq: bigint;
  at: Date;
  actorType: string;
  actorId: string | null;
  /** The database value, e.g. "vault.create". */
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  outcome: string;
  details: JsonValue;
  prevHash: string;
}

/** Deterministic JSON: sorted object keys, no whitespace. */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`).join(",")}}`;
}

export function encodeAuditRow(row: AuditHashedFields): string {
  const fields: JsonValue[] = [
    auditEncodingVersion,
    row.seq.toString(),
    row.at.toISOString(),
    row.actorType,
    row.actorId,
    row.action,
    row.targetType,
    row.targetId,
    row.ip,
    row.userAgent,
    row.requestId,
    row.outcome,
  ];
  const head = fields.map((field) => JSON.stringify(field)).join(",");
  return `[${head},${canonicalJson(row.details)},${JSON.stringify(row.prevHash)}]`;
}

export function computeAuditHash(row: AuditHashedFields): string {
  return createHash("sha256").update(encodeAuditRow(row), "utf8").digest("hex");
}
