import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { RequestMeta } from "../../context/request-facts";
import { recordAudit, guardianActor } from "../audit/record-audit";
import type { SigningContext } from "./load-signing-context";

/** Keeps every share, valid or not: an invalid one is the evidence against its sender. */
export async function recordSignatureShare(
  tx: DbTransaction,
  meta: RequestMeta,
  { transaction, me, attempt }: SigningContext,
  submitted: { share: string; inputShares: string[]; valid: boolean },
  now: Date,
): Promise<void> {
  await tx.signatureShareSubmission.create({
    data: {
      attemptId: attempt.id,
      guardianId: me.guardianId,
      signerIndex: me.guardianIndex,
      share: submitted.share,
      inputShares: submitted.inputShares,
      valid: submitted.valid,
      createdAt: now,
    },
  });
  await recordAudit(tx, meta, {
    actor: guardianActor(me.guardianId),
    action: "signing.share",
    outcome: submitted.valid ? "SUCCESS" : "FAILURE",
    target: { type: "transaction", id: transaction.id },
    details: { attempt: attempt.attempt, signerIndex: me.guardianIndex, valid: submitted.valid },
  });
}
