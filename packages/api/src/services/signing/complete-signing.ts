import { finalizeVaultPsbt } from "@conclave/bitcoin/finalize-vault-psbt";
import { aggregateSignature } from "@conclave/frost/aggregate";
import { FrostAggregationError } from "@conclave/frost/errors";
import { verifyGroupSignature } from "@conclave/frost/verify-signature";
import type { DbTransaction } from "@conclave/db/create-prisma-client";
import { observeSigningDuration } from "../../metrics/domain-metrics";
import type { RequestMeta } from "../../context/request-facts";
import { recordAudit, guardianActor } from "../audit/record-audit";
import type { CoordinationOutcome } from "../coordination/coordination-transaction";
import { appendGuardianEvents } from "../events/append-guardian-events";
import type { GuardianEventInput } from "../events/guardian-event-types";
import { finishTransaction } from "../transactions/finish-transaction";
import type { SigningContext } from "./load-signing-context";
import type { SigningPackages } from "./read-signing-packages";
import { signingMessages } from "./signing-messages";
import type { SigningSubmissionResult } from "./signing-submission-result";
import { signingSubmissionResult } from "./signing-submission-result";

/**
 * With a valid share from every signer, aggregates them per message and checks each
 * signature as a plain BIP340 verifier would against its own message (a PSBT input's
 * sighash) before storing it and completing the transaction; a PSBT is finalized.
 * Valid shares that still aggregate to a bad signature fail the transaction.
 */
export async function completeSigningWhenAllSharesIn(
  tx: DbTransaction,
  meta: RequestMeta,
  ctx: SigningContext,
  packages: SigningPackages,
  now: Date,
): Promise<CoordinationOutcome<SigningSubmissionResult>> {
  const { transaction, vault, members, me, attempt } = ctx;
  const shares = await tx.signatureShareSubmission.findMany({
    where: { attemptId: attempt.id, valid: true },
    orderBy: { signerIndex: "asc" },
  });
  if (shares.length < attempt.signerIndexes.length) {
    return { result: signingSubmissionResult(ctx, transaction.status), notices: [] };
  }
  // One signature per message, each checked as plain BIP340 against its own message.
  const messages = signingMessages(transaction);
  const signatures = packages.signingPackages.map((signingPackage, k) =>
    aggregateVerified(
      packages.publicKeyPackage,
      signingPackage,
      vault.groupPublicKeyXOnly ?? "",
      messages[k] ?? "",
      shares.map((s) => ({
        signer: s.signerIndex,
        share: k === 0 ? s.share : (s.inputShares[k - 1] ?? ""),
      })),
    ),
  );
  const actor = guardianActor(me.guardianId);
  const [signature] = signatures;
  if (signature === undefined || signature === null || signatures.includes(null)) {
    const events = await finishTransaction(
      tx,
      meta,
      actor,
      transaction,
      members,
      { status: "FAILED", reason: "aggregate_invalid" },
      now,
    );
    return {
      result: signingSubmissionResult(ctx, "FAILED"),
      notices: await appendGuardianEvents(tx, now, events),
    };
  }
  const verified = signatures.filter((value) => value !== null);
  // A PSBT leaves finalized: each input's key-path witness is its signature.
  const finalized =
    transaction.psbt === null
      ? null
      : finalizeVaultPsbt(new Uint8Array(Buffer.from(transaction.psbt, "base64")), verified);
  await tx.transaction.update({
    where: { id: transaction.id },
    data: {
      status: "COMPLETED",
      signature,
      completedAt: now,
      ...(finalized === null
        ? {}
        : {
            signatures: verified,
            signedPsbt: finalized.signedPsbt,
            rawTransaction: finalized.rawTransaction,
            txid: finalized.txid,
          }),
    },
  });
  observeSigningDuration(transaction.createdAt, now);
  await tx.signingAttempt.update({
    where: { id: attempt.id },
    data: { status: "COMPLETED", closedAt: now },
  });
  await recordAudit(tx, meta, {
    actor,
    action: "transaction.complete",
    outcome: "SUCCESS",
    target: { type: "transaction", id: transaction.id },
    details: {
      vaultId: vault.id,
      attempt: attempt.attempt,
      signature,
      ...(finalized === null ? {} : { txid: finalized.txid }),
    },
  });
  const events: GuardianEventInput[] = members.map((member) => ({
    guardianId: member.guardianId,
    vaultId: vault.id,
    type: "transaction.completed",
    payload: {
      transactionId: transaction.id,
      attempt: attempt.attempt,
      signature,
      ...(finalized === null ? {} : { txid: finalized.txid }),
    },
  }));
  return {
    result: signingSubmissionResult(ctx, "COMPLETED"),
    notices: await appendGuardianEvents(tx, now, events),
  };
}

/** The group signature, or null when the shares do not aggregate to one that verifies. */
function aggregateVerified(
  publicKeyPackage: SigningPackages["publicKeyPackage"],
  signingPackage: SigningPackages["signingPackages"][number],
  groupPublicKeyXOnly: string,
  // The transaction's own message, not the package's copy: what the chain will check.
  message: string,
  shares: { signer: number; share: string }[],
): string | null {
  let signature: string;
  try {
    signature = aggregateSignature(publicKeyPackage, signingPackage, shares);
  } catch (error) {
    if (!(error instanceof FrostAggregationError)) throw error;
    return null;
  }
  return verifyGroupSignature({ groupPublicKeyXOnly, message, signature }) ? signature : null;
}
