import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { RequestMeta } from "../../context/request-facts";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import type { VaultMember } from "../coordination/vault-members";
import type { GuardianEventInput } from "../events/guardian-event-types";

const auditAction = {
  FAILED: "transaction.fail",
  EXPIRED: "transaction.expire",
  CANCELLED: "transaction.cancel",
} as const;

const eventType = {
  FAILED: "transaction.failed",
  EXPIRED: "transaction.expired",
  CANCELLED: "transaction.cancelled",
} as const;

/** Ends an open transaction without a signature; the caller holds its row lock. */
export async function finishTransaction(
  tx: DbTransaction,
  meta: RequestMeta,
  actor: AuditActor,
  transaction: { id: string; vaultId: string; currentAttempt: number },
  members: readonly VaultMember[],
  outcome: { status: "FAILED" | "EXPIRED" | "CANCELLED"; reason: string },
  now: Date,
): Promise<GuardianEventInput[]> {
  await tx.transaction.update({
    where: { id: transaction.id },
    data: {
      status: outcome.status,
      failureReason: outcome.reason,
      ...(outcome.status === "CANCELLED" ? { cancelledAt: now } : {}),
    },
  });
  await tx.signingAttempt.updateMany({
    where: { transactionId: transaction.id, status: { in: ["COMMITTING", "SIGNING"] } },
    data: {
      status: outcome.status === "FAILED" ? "FAILED" : outcome.status,
      closedAt: now,
      failureReason: outcome.reason,
    },
  });
  await recordAudit(tx, meta, {
    actor,
    action: auditAction[outcome.status],
    outcome: outcome.status === "CANCELLED" ? "SUCCESS" : "FAILURE",
    target: { type: "transaction", id: transaction.id },
    details: {
      vaultId: transaction.vaultId,
      attempt: transaction.currentAttempt,
      reason: outcome.reason,
    },
  });
  return members.map((member) => ({
    guardianId: member.guardianId,
    vaultId: transaction.vaultId,
    type: eventType[outcome.status],
    payload: {
      transactionId: transaction.id,
      attempt: transaction.currentAttempt,
      reason: outcome.reason,
    },
  }));
}
