import { commit } from "@conclave/frost/commit";
import { signShare } from "@conclave/frost/sign-share";
import { verifyGroupSignature } from "@conclave/frost/verify-signature";
import type { SigningNonces } from "@conclave/frost/wire-types";
import type { GuardianClient } from "../create-guardian-client";
import { createEventWaiter } from "../events/event-waiter";
import { trpcErrorCode } from "../session/trpc-error-code";
import { waitBeforeRetry } from "../session/wait-before-retry";
import type { KeyShare } from "../keyshare/key-share-file";
import type { TransactionReview } from "./review-transaction";

export interface SigningOptions {
  /** What the guardian approved: signing stops if the server's view drifts from it. */
  readonly review: TransactionReview;
  readonly keyShare: KeyShare;
  readonly onProgress?: (message: string) => void;
  readonly recheckMs?: number;
}

export class SigningError extends Error {
  override readonly name = "SigningError";
}

/**
 * Approves (sends round-1 commitments for the current attempt), then signs the published
 * package once this guardian is in the signer set, following new attempts, until the
 * transaction completes. The package's message must equal the re-derived digest and
 * carry this guardian's own commitments, or nothing is signed. Nonces stay in memory and
 * are used once. Resolves with the final BIP340 signature, checked against the group key.
 */
export async function runSigning(client: GuardianClient, options: SigningOptions): Promise<string> {
  const { review, keyShare } = options;
  const { vaultId, transactionId } = review;
  const me = keyShare.keyPackage.guardianIndex;
  const progress = options.onProgress ?? (() => undefined);
  const nonces = new Map<number, { nonces: SigningNonces; hiding: string; binding: string }>();
  const sharesSent = new Map<number, string>();
  const waiter = createEventWaiter(client);
  let lastLine = "";
  const report = (line: string) => {
    if (line !== lastLine) progress(line);
    lastLine = line;
  };
  try {
    for (;;) {
      try {
        const detail = await client.api.transactions.get.query({ vaultId, transactionId });
        if (detail.digest !== review.digest)
          throw new SigningError("the transaction's digest changed; stopping");
        if (detail.status === "COMPLETED") {
          const signature = detail.signature;
          if (
            signature === null ||
            !verifyGroupSignature({
              groupPublicKeyXOnly: keyShare.publicKeyPackage.groupPublicKeyXOnly,
              message: review.digest,
              signature,
            })
          )
            throw new SigningError(
              "the completed signature does not verify under the vault's group key",
            );
          return signature;
        }
        if (detail.status !== "PENDING" && detail.status !== "SIGNING")
          throw new SigningError(
            `the transaction is ${detail.status.toLowerCase()}${detail.failureReason ? ` (${detail.failureReason})` : ""}`,
          );
        if (detail.excluded.some((entry) => entry.signerIndex === me))
          throw new SigningError("the server excluded this guardian from signing this transaction");
        const attemptNumber = detail.currentAttempt;
        const attempt = detail.attempts.find((a) => a.attempt === attemptNumber);
        const committed = attempt?.committed.includes(me) ?? false;

        if ((attempt === undefined || attempt.status === "COMMITTING") && !committed) {
          // A commitment sent before a lost connection is re-sent as is (the server treats
          // the same content as idempotent); fresh nonces only for a fresh attempt.
          let mine = nonces.get(attemptNumber);
          if (mine === undefined) {
            const out = commit(keyShare.keyPackage);
            mine = { nonces: out.nonces, ...out.commitments };
            nonces.set(attemptNumber, mine);
          }
          try {
            await client.api.signing.commit.mutate({
              vaultId,
              transactionId,
              attempt: attemptNumber,
              hiding: mine.hiding,
              binding: mine.binding,
            });
          } catch (error) {
            // Other guardians were faster: the signer set is fixed without this one.
            if (trpcErrorCode(error) !== "CONFLICT") throw error;
            report(`attempt ${attemptNumber}: signer set already fixed; waiting for the result`);
            await waiter.next(options.recheckMs ?? 5_000);
            continue;
          }
          report(`approved: commitments sent for attempt ${attemptNumber}`);
          continue;
        }
        const signingPackage = attempt?.signingPackage;
        const mine = nonces.get(attemptNumber);
        const shareIn = attempt?.shares.some((entry) => entry.signerIndex === me) ?? false;
        if (
          attempt?.status === "SIGNING" &&
          signingPackage &&
          attempt.signerIndexes.includes(me) &&
          !shareIn
        ) {
          let share = sharesSent.get(attemptNumber);
          if (share === undefined && mine !== undefined) {
            if (signingPackage.message !== review.digest)
              throw new SigningError(
                "REFUSED: the signing package's message is not the approved digest",
              );
            const own = signingPackage.commitments.find((c) => c.signer === me);
            if (own?.hiding !== mine.hiding || own.binding !== mine.binding)
              throw new SigningError(
                "REFUSED: the signing package does not carry this guardian's commitments",
              );
            share = signShare({
              keyPackage: keyShare.keyPackage,
              publicKeyPackage: keyShare.publicKeyPackage,
              nonces: mine.nonces,
              signingPackage,
            }).share;
            // Single use: the nonces are gone once a share exists; a lost submission is
            // re-sent with the same share, never re-signed.
            nonces.delete(attemptNumber);
            sharesSent.set(attemptNumber, share);
          }
          if (share !== undefined) {
            await client.api.signing.submitShare.mutate({
              vaultId,
              transactionId,
              attempt: attemptNumber,
              share,
            });
            report(`signature share sent for attempt ${attemptNumber}`);
            continue;
          }
        }
        if (attempt?.status === "SIGNING" && !attempt.signerIndexes.includes(me)) {
          report(
            `attempt ${attemptNumber}: signer set fixed without this guardian; waiting for the result`,
          );
        } else if (attempt?.status === "SIGNING") {
          report(
            `attempt ${attemptNumber}: ${attempt.shares.length}/${attempt.signerIndexes.length} shares in; waiting`,
          );
        } else {
          report(
            `attempt ${attemptNumber}: ${attempt?.committed.length ?? 0} approvals so far; waiting for more guardians (expires ${detail.expiresAt})`,
          );
        }
        await waiter.next(options.recheckMs ?? 5_000);
      } catch (error) {
        await waitBeforeRetry(error, { waiter, recheckMs: options.recheckMs ?? 5_000, report });
      }
    }
  } finally {
    waiter.close();
  }
}
