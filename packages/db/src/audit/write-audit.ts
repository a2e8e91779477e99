import { redactDeep } from "@conclave/logger/redact";
import type { DbTransaction } from "../create-prisma-client";
import type { AuditOutcome } from "../generated/prisma/enums";
import { type AuditActionName, toPrismaAuditAction } from "./audit-action";
import { type AuditDetailsField, auditDetailsSchemas } from "./audit-details";
import { AuditDetailsError } from "./audit-details-error";
import {
  auditGenesisHash,
  computeAuditHash,
  type AuditHashedFields,
  type JsonValue,
} from "./canonical-audit-encoding";

interface AuditEventFields {
  actorType: string;
  actorId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  outcome: AuditOutcome;
}

/** One row to append; `details` (context for readers) is redacted before it is hashed. */
export type AuditEventInput = {
  [Action in AuditActionName]: AuditEventFields & { action: Action } & AuditDetailsField<Action>;
}[AuditActionName];

export interface AuditRecord extends AuditHashedFields {
  action: AuditActionName;
  outcome: AuditOutcome;
  hash: string;
}

// One chain, one writer at a time: the lock is held until the caller's transaction ends.
const auditChainLockKey = 0x61756474;

// Checked against the action's schema, then redacted, then exactly what jsonb gives back.
function storedDetails(action: AuditActionName, details: unknown): JsonValue {
  const checked = auditDetailsSchemas[action].safeParse(details ?? {});
  if (!checked.success) throw AuditDetailsError.fromZod(action, checked.error);
  const text = JSON.stringify(redactDeep(checked.data), (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  return JSON.parse(text) as JsonValue;
}

/**
 * Appends one hash-chained audit row inside the caller's transaction, so the row exists
 * if and only if the caller's change commits.
 */
export async function writeAudit(tx: DbTransaction, event: AuditEventInput): Promise<AuditRecord> {
  const details = storedDetails(event.action, event.details);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${auditChainLockKey})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { hash: true } });
  // The database clock, truncated to what timestamptz(3) stores, so the hashed value
  // is exactly the value read back. `locked` is false when tx is not a transaction: the
  // lock was then released with its own statement, and writing would fork the chain.
  const [next] = await tx.$queryRaw<{ seq: bigint; at: Date; locked: boolean }[]>`
    SELECT nextval(pg_get_serial_sequence('"AuditEvent"', 'seq')) AS seq,
           date_trunc('milliseconds', clock_timestamp()) AS at,
           EXISTS (SELECT 1 FROM pg_locks
                    WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
                      AND classid = 0 AND objid::bigint = ${auditChainLockKey} AND objsubid = 1) AS locked`;
  if (next === undefined) throw new Error("audit: could not allocate a sequence number");
  if (!next.locked) throw new Error("writeAudit must be given the caller's transaction");
  const fields: AuditHashedFields & { action: AuditActionName; outcome: AuditOutcome } = {
    seq: next.seq,
    at: next.at,
    actorType: event.actorType,
    actorId: event.actorId ?? null,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
    requestId: event.requestId ?? null,
    outcome: event.outcome,
    details,
    prevHash: last?.hash ?? auditGenesisHash,
  };
  const hash = computeAuditHash(fields);
  await tx.auditEvent.create({
    data: {
      ...fields,
      action: toPrismaAuditAction(fields.action),
      details: fields.details ?? {},
      hash,
    },
  });
  return { ...fields, hash };
}
