import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { PermissionError } from "../../errors/permission-error";
import { runIdempotentSubmission } from "../coordination/run-idempotent-submission";
import { appendGuardianEvents } from "../events/append-guardian-events";
import { completeSigningWhenAllSharesIn } from "./complete-signing";
import { excludeCheatingSigner } from "./exclude-cheating-signer";
import type { SigningContext } from "./load-signing-context";
import { assertTransactionOpen, loadSigningContext } from "./load-signing-context";
import { readSigningPackages } from "./read-signing-packages";
import { recordSignatureShare } from "./record-signature-share";
import { shareVerifies } from "./share-verifies";
import { signingMessages } from "./signing-messages";
import type { SigningSubmissionResult } from "./signing-submission-result";
import { signingSubmissionResult } from "./signing-submission-result";

export type SubmitShareInput = {
  vaultId: string;
  transactionId: string;
  attempt: number;
  share: string;
  /** A PSBT's inputs 1..n-1, in order. */
  inputShares?: string[] | undefined;
};

/** `rejected`: the share did not verify; the caller learns it once the change is committed. */
type ShareOutcome = SigningSubmissionResult & { rejected: boolean };

/**
 * Signing round 2. Each share (one per message) is verified on arrival; a bad one names and excludes its
 * sender (excludeCheatingSigner), and with every share in the server completes the
 * transaction (completeSigningWhenAllSharesIn). A rejected share is committed first and
 * then answered with an error, also when it is sent again.
 */
export async function submitSignatureShare(
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  input: SubmitShareInput,
): Promise<SigningSubmissionResult> {
  const { rejected, ...result } = await runIdempotentSubmission<
    SigningContext,
    { share: string; inputShares: string[]; valid: boolean },
    ShareOutcome
  >(deps, {
    load: (tx) => loadSigningContext(tx, input, guardianId),
    findExisting: (tx, { attempt, me }) =>
      tx.signatureShareSubmission.findUnique({
        where: { attemptId_signerIndex: { attemptId: attempt.id, signerIndex: me.guardianIndex } },
      }),
    matchesExisting: (existing) =>
      existing.share === input.share &&
      existing.inputShares.join(",") === (input.inputShares ?? []).join(","),
    conflict: {
      reason: "share_conflict",
      message: "A different share was already submitted for this attempt",
    },
    answerDuplicate: (existing, ctx) => ({
      ...signingSubmissionResult(ctx, ctx.transaction.status, { duplicate: true }),
      rejected: !existing.valid,
    }),
    accept: async (tx, ctx, now) => {
      assertMaySign(ctx, now);
      const messages = signingMessages(ctx.transaction).length;
      const inputShares = input.inputShares ?? [];
      if (inputShares.length !== messages - 1) {
        throw new InvalidRequestError(
          "share_count",
          `This transaction signs ${messages} input(s): one share each`,
        );
      }
      const packages = readSigningPackages(ctx);
      const valid = shareVerifies(packages, ctx.me.guardianIndex, [input.share, ...inputShares]);
      await recordSignatureShare(tx, meta, ctx, { share: input.share, inputShares, valid }, now);
      if (valid) {
        const { result, notices } = await completeSigningWhenAllSharesIn(
          tx,
          meta,
          ctx,
          packages,
          now,
        );
        return { result: { ...result, rejected: false }, notices };
      }
      const { events, transactionStatus } = await excludeCheatingSigner(tx, deps, meta, ctx, now);
      return {
        result: { ...signingSubmissionResult(ctx, transactionStatus), rejected: true },
        notices: await appendGuardianEvents(tx, now, events),
      };
    },
  });
  if (rejected && !result.duplicate) {
    throw new InvalidRequestError("invalid_signature_share", "The signature share does not verify");
  }
  if (rejected) throw new ConflictError("share_rejected", "This share was already rejected");
  return result;
}

function assertMaySign(ctx: SigningContext, now: Date): void {
  assertTransactionOpen(ctx.transaction, ctx.attempt, "SIGNING", now);
  if (!ctx.attempt.signerIndexes.includes(ctx.me.guardianIndex)) {
    throw new PermissionError(
      "not_a_signer",
      "This guardian is not in the signer set of this attempt",
    );
  }
}
