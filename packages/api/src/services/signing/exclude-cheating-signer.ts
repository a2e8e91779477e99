import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { recordAudit, guardianActor } from "../audit/record-audit";
import type { GuardianEventInput } from "../events/guardian-event-types";
import { recordSecurityEvent } from "../security-events/record-security-event";
import { finishTransaction } from "../transactions/finish-transaction";
import type { SigningContext } from "./load-signing-context";
import { openSigningAttempt } from "./open-signing-attempt";

/**
 * The caller sent a share that does not verify: it is named (security event and audit
 * row) and excluded from the transaction, and the attempt fails. A fresh attempt opens
 * while enough honest guardians and attempts remain; otherwise the transaction fails.
 */
export async function excludeCheatingSigner(
  tx: DbTransaction,
  deps: ApiDependencies,
  meta: RequestMeta,
  { transaction, vault, members, me, attempt }: SigningContext,
  now: Date,
): Promise<{ events: GuardianEventInput[]; transactionStatus: "PENDING" | "FAILED" }> {
  await tx.signingExclusion.create({
    data: {
      transactionId: transaction.id,
      guardianId: me.guardianId,
      signerIndex: me.guardianIndex,
      attempt: attempt.attempt,
      reason: "invalid_signature_share",
      createdAt: now,
    },
  });
  await recordSecurityEvent(tx, now, meta, {
    kind: "signing_share_invalid",
    severity: "CRITICAL",
    subjectType: "GUARDIAN",
    subjectId: me.guardianId,
    details: {
      vaultId: vault.id,
      transactionId: transaction.id,
      attempt: attempt.attempt,
      signerIndex: me.guardianIndex,
    },
  });
  await recordAudit(tx, meta, {
    actor: guardianActor(me.guardianId),
    action: "signing.cheater",
    outcome: "FAILURE",
    target: { type: "transaction", id: transaction.id },
    details: { guardianId: me.guardianId, signerIndex: me.guardianIndex, attempt: attempt.attempt },
  });
  await tx.signingAttempt.update({
    where: { id: attempt.id },
    data: { status: "FAILED", closedAt: now, failureReason: "invalid_signature_share" },
  });
  const excluded = new Set([...transaction.exclusions.map((e) => e.guardianId), me.guardianId]);
  const eligible = members.filter((m) => !excluded.has(m.guardianId));
  const events: GuardianEventInput[] = members.map((member) => ({
    guardianId: member.guardianId,
    vaultId: vault.id,
    type: "signing.attempt_failed",
    payload: {
      transactionId: transaction.id,
      attempt: attempt.attempt,
      reason: "invalid_signature_share",
      cheaterIndexes: [me.guardianIndex],
    },
  }));
  const nextAttempt = attempt.attempt + 1;
  if (eligible.length < vault.threshold || nextAttempt > deps.config.maxSigningAttempts) {
    events.push(
      ...(await finishTransaction(
        tx,
        meta,
        guardianActor(me.guardianId),
        transaction,
        members,
        {
          status: "FAILED",
          reason:
            eligible.length < vault.threshold
              ? "not_enough_honest_guardians"
              : "max_attempts_reached",
        },
        now,
      )),
    );
    return { events, transactionStatus: "FAILED" };
  }
  await tx.transaction.update({
    where: { id: transaction.id },
    data: { currentAttempt: nextAttempt, status: "PENDING" },
  });
  await recordAudit(tx, meta, {
    actor: guardianActor(me.guardianId),
    action: "signing.attempt",
    outcome: "SUCCESS",
    target: { type: "transaction", id: transaction.id },
    details: { attempt: nextAttempt, excludedGuardianIds: [...excluded] },
  });
  events.push(...(await openSigningAttempt(tx, deps, transaction, eligible, nextAttempt, now)));
  return { events, transactionStatus: "PENDING" };
}
