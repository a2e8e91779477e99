import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { RequestMeta } from "../../context/request-facts";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";

export type RevokeReason =
  | "logout"
  | "revoked_by_subject"
  | "revoked_by_admin"
  | "session_limit"
  | "idle_timeout"
  | "refresh_reuse"
  | "suspicious_activity";

// Marks still-live sessions revoked and audits each one. Returns the ids actually
// revoked; the caller publishes them on the revocation bus after its transaction
// commits, so sockets never close for a revocation that rolled back.
export async function revokeSessions(
  tx: DbTransaction,
  meta: RequestMeta,
  input: { sessionIds: readonly string[]; reason: RevokeReason; actor: AuditActor; now: Date },
): Promise<string[]> {
  const revoked: string[] = [];
  for (const sessionId of input.sessionIds) {
    const { count } = await tx.session.updateMany({
      where: { id: sessionId, revokedAt: null },
      data: { revokedAt: input.now, revokeReason: input.reason },
    });
    if (count === 0) continue;
    revoked.push(sessionId);
    await recordAudit(tx, meta, {
      actor: input.actor,
      action: "session.revoke",
      outcome: "SUCCESS",
      target: { type: "session", id: sessionId },
      details: { reason: input.reason },
    });
  }
  return revoked;
}
