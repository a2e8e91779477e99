import { FrostInputError } from "@conclave/frost/errors";
import { decodePoint } from "@conclave/frost/point-validation";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { recordAudit, guardianActor } from "../audit/record-audit";
import { runIdempotentSubmission } from "../coordination/run-idempotent-submission";
import { fixSignerSet } from "./fix-signer-set";
import { assertTransactionOpen, loadSigningContext } from "./load-signing-context";
import type { SigningSubmissionResult } from "./signing-submission-result";
import { signingSubmissionResult } from "./signing-submission-result";

export type SubmitCommitmentInput = {
  vaultId: string;
  transactionId: string;
  attempt: number;
  hiding: string;
  binding: string;
};

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002"
  );
}

function assertCommitmentPoints(input: SubmitCommitmentInput): void {
  for (const field of ["hiding", "binding"] as const) {
    try {
      decodePoint(input[field], field);
    } catch (error) {
      if (!(error instanceof FrostInputError)) throw error;
      throw new InvalidRequestError("invalid_commitment", `${field}: not a valid curve point`);
    }
  }
  if (input.hiding === input.binding) {
    throw new InvalidRequestError("invalid_commitment", "hiding and binding must differ");
  }
}

/**
 * Approval: round-1 nonce commitments for one (transaction, attempt). A commitment
 * point is accepted once, ever (unique columns), so a replay into another attempt or
 * transaction is refused. The t-th commitment fixes the signer set (fixSignerSet).
 */
export async function submitCommitment(
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  input: SubmitCommitmentInput,
): Promise<SigningSubmissionResult> {
  assertCommitmentPoints(input);
  try {
    return await runIdempotentSubmission(deps, {
      load: (tx) => loadSigningContext(tx, input, guardianId),
      findExisting: (tx, { attempt, me }) =>
        tx.signingCommitment.findUnique({
          where: {
            attemptId_signerIndex: { attemptId: attempt.id, signerIndex: me.guardianIndex },
          },
        }),
      matchesExisting: (existing) =>
        existing.hiding === input.hiding && existing.binding === input.binding,
      conflict: {
        reason: "commitment_conflict",
        message: "Different commitments were already submitted for this attempt",
      },
      answerDuplicate: (_existing, ctx) =>
        signingSubmissionResult(ctx, ctx.transaction.status, { duplicate: true }),
      accept: async (tx, ctx, now) => {
        const { transaction, vault, me, attempt } = ctx;
        const points = [input.hiding, input.binding];
        const reused = await tx.signingCommitment.findFirst({
          where: { OR: [{ hiding: { in: points } }, { binding: { in: points } }] },
          select: { id: true },
        });
        if (reused)
          throw new ConflictError("commitment_replayed", "These commitments were already used");
        assertTransactionOpen(transaction, attempt, "COMMITTING", now);

        await tx.signingCommitment.create({
          data: {
            attemptId: attempt.id,
            guardianId,
            signerIndex: me.guardianIndex,
            hiding: input.hiding,
            binding: input.binding,
            createdAt: now,
          },
        });
        await recordAudit(tx, meta, {
          actor: guardianActor(guardianId),
          action: "signing.commit",
          outcome: "SUCCESS",
          target: { type: "transaction", id: transaction.id },
          details: { attempt: attempt.attempt, signerIndex: me.guardianIndex },
        });
        const commitments = await tx.signingCommitment.findMany({
          where: { attemptId: attempt.id },
          orderBy: { signerIndex: "asc" },
        });
        if (commitments.length < vault.threshold) {
          return {
            result: signingSubmissionResult(ctx, transaction.status, { signers: [] }),
            notices: [],
          };
        }
        return fixSignerSet(tx, deps, meta, ctx, commitments, now);
      },
    });
  } catch (error) {
    // Two submissions of one point racing in different transactions: the loser lands here.
    if (isUniqueViolation(error)) {
      throw new ConflictError("commitment_replayed", "These commitments were already used");
    }
    throw error;
  }
}
