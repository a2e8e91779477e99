import { FrostInputError } from "@conclave/frost/errors";
import { decodePoint } from "@conclave/frost/point-validation";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { recordAudit, guardianActor } from "../audit/record-audit";
import { runIdempotentSubmission } from "../coordination/run-idempotent-submission";
import { fixSignerSet } from "./fix-signer-set";
import { signingMessages } from "./signing-messages";
import { assertTransactionOpen, loadSigningContext } from "./load-signing-context";
import type { SigningSubmissionResult } from "./signing-submission-result";
import { signingSubmissionResult } from "./signing-submission-result";

export type SubmitCommitmentInput = {
  vaultId: string;
  transactionId: string;
  attempt: number;
  hiding: string;
  binding: string;
  /** A PSBT's inputs 1..n-1, one pair each. */
  inputCommitments?: { hiding: string; binding: string }[] | undefined;
};

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002"
  );
}

/** Every pair the submission carries, the first input's first. */
function commitmentPairs(input: SubmitCommitmentInput): { hiding: string; binding: string }[] {
  return [{ hiding: input.hiding, binding: input.binding }, ...(input.inputCommitments ?? [])];
}

function assertCommitmentPoints(input: SubmitCommitmentInput): void {
  for (const [k, pair] of commitmentPairs(input).entries()) {
    for (const field of ["hiding", "binding"] as const) {
      try {
        decodePoint(pair[field], field);
      } catch (error) {
        if (!(error instanceof FrostInputError)) throw error;
        throw new InvalidRequestError(
          "invalid_commitment",
          `input ${k} ${field}: not a valid curve point`,
        );
      }
    }
  }
  const points = commitmentPairs(input).flatMap((pair) => [pair.hiding, pair.binding]);
  if (new Set(points).size !== points.length) {
    throw new InvalidRequestError("invalid_commitment", "every commitment point must differ");
  }
}

function sameInputCommitments(
  stored: readonly { inputIndex: number; hiding: string; binding: string }[],
  sent: SubmitCommitmentInput["inputCommitments"],
): boolean {
  const pairs = sent ?? [];
  return (
    stored.length === pairs.length &&
    stored.every(
      (row) =>
        pairs[row.inputIndex - 1]?.hiding === row.hiding &&
        pairs[row.inputIndex - 1]?.binding === row.binding,
    )
  );
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
          include: { inputs: true },
        }),
      matchesExisting: (existing) =>
        existing.hiding === input.hiding &&
        existing.binding === input.binding &&
        sameInputCommitments(existing.inputs, input.inputCommitments),
      conflict: {
        reason: "commitment_conflict",
        message: "Different commitments were already submitted for this attempt",
      },
      answerDuplicate: (_existing, ctx) =>
        signingSubmissionResult(ctx, ctx.transaction.status, { duplicate: true }),
      accept: async (tx, ctx, now) => {
        const { transaction, vault, me, attempt } = ctx;
        const messages = signingMessages(transaction).length;
        if ((input.inputCommitments?.length ?? 0) !== messages - 1) {
          throw new InvalidRequestError(
            "commitment_count",
            `This transaction signs ${messages} input(s): one commitment pair each`,
          );
        }
        const points = commitmentPairs(input).flatMap((pair) => [pair.hiding, pair.binding]);
        const anyPoint = { OR: [{ hiding: { in: points } }, { binding: { in: points } }] };
        const reused =
          (await tx.signingCommitment.findFirst({ where: anyPoint, select: { id: true } })) ??
          (await tx.signingInputCommitment.findFirst({ where: anyPoint, select: { id: true } }));
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
            inputs: {
              create: (input.inputCommitments ?? []).map((pair, k) => ({
                inputIndex: k + 1,
                hiding: pair.hiding,
                binding: pair.binding,
              })),
            },
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
          include: { inputs: { orderBy: { inputIndex: "asc" } } },
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
