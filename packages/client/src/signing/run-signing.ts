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
 * packages once this guardian is in the signer set, following new attempts, until the
 * transaction completes. One nonce pair, package and share per message (each PSBT
 * input's sighash, or the digest): every package's message must be the one this device
 * computed and carry this guardian's own commitments, or nothing is signed. Nonces stay in memory and
 * are used once. Resolves with the (first) final BIP340 signature; every one is checked against the group
 * key and its own message.
 */
export async function runSigning(client: GuardianClient, options: SigningOptions): Promise<string> {
  const { review, keyShare } = options;
  const { vaultId, transactionId } = review;
  const me = keyShare.keyPackage.guardianIndex;
  const progress = options.onProgress ?? (() => undefined);
  // Per attempt, one nonce pair per message (the PSBT's inputs, or the one digest).
  const nonces = new Map<number, { nonces: SigningNonces; hiding: string; binding: string }[]>();
  const sharesSent = new Map<number, string[]>();
  const messages = review.messages;
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
          const signatures =
            review.bitcoin === null ? [detail.signature] : (detail.bitcoin?.signatures ?? []);
          const verifies = (signature: string | null | undefined, k: number) =>
            typeof signature === "string" &&
            verifyGroupSignature({
              groupPublicKeyXOnly: keyShare.publicKeyPackage.groupPublicKeyXOnly,
              message: messages[k] ?? "",
              signature,
            });
          const [first] = signatures;
          if (
            signatures.length !== messages.length ||
            first === undefined ||
            first === null ||
            !signatures.every(verifies)
          )
            throw new SigningError(
              "the completed signature does not verify under the vault's group key",
            );
          return first;
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
            mine = messages.map(() => {
              const out = commit(keyShare.keyPackage);
              return {
                nonces: out.nonces,
                hiding: out.commitments.hiding,
                binding: out.commitments.binding,
              };
            });
            nonces.set(attemptNumber, mine);
          }
          const [firstPair, ...inputPairs] = mine;
          if (firstPair === undefined) throw new SigningError("nothing to sign");
          try {
            await client.api.signing.commit.mutate({
              vaultId,
              transactionId,
              attempt: attemptNumber,
              hiding: firstPair.hiding,
              binding: firstPair.binding,
              ...(inputPairs.length > 0
                ? {
                    inputCommitments: inputPairs.map(({ hiding, binding }) => ({
                      hiding,
                      binding,
                    })),
                  }
                : {}),
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
        const signingPackages = attempt?.signingPackages ?? [];
        const mine = nonces.get(attemptNumber);
        const shareIn = attempt?.shares.some((entry) => entry.signerIndex === me) ?? false;
        if (
          attempt?.status === "SIGNING" &&
          signingPackages.length > 0 &&
          attempt.signerIndexes.includes(me) &&
          !shareIn
        ) {
          let shares = sharesSent.get(attemptNumber);
          if (shares === undefined && mine !== undefined) {
            if (
              signingPackages.length !== messages.length ||
              signingPackages.some((signingPackage, k) => signingPackage.message !== messages[k])
            )
              throw new SigningError(
                "REFUSED: the signing packages' messages are not the approved ones",
              );
            for (const [k, signingPackage] of signingPackages.entries()) {
              const own = signingPackage.commitments.find((c) => c.signer === me);
              if (own?.hiding !== mine[k]?.hiding || own?.binding !== mine[k]?.binding)
                throw new SigningError(
                  "REFUSED: the signing package does not carry this guardian's commitments",
                );
            }
            shares = signingPackages.map(
              (signingPackage, k) =>
                signShare({
                  keyPackage: keyShare.keyPackage,
                  publicKeyPackage: keyShare.publicKeyPackage,
                  nonces: (mine[k] ?? { nonces: { hiding: "", binding: "" } }).nonces,
                  signingPackage,
                }).share,
            );
            // Single use: the nonces are gone once a share exists; a lost submission is
            // re-sent with the same shares, never re-signed.
            nonces.delete(attemptNumber);
            sharesSent.set(attemptNumber, shares);
          }
          const [share, ...inputShares] = shares ?? [];
          if (share !== undefined) {
            await client.api.signing.submitShare.mutate({
              vaultId,
              transactionId,
              attempt: attemptNumber,
              share,
              ...(inputShares.length > 0 ? { inputShares } : {}),
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
