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
import type { SigningSubmissionResult } from "./signing-submission-result";
import { signingSubmissionResult } from "./signing-submission-result";

/**
 * With a valid share from every signer, aggregates them and checks the signature as a
 * plain BIP340 verifier would before storing it and completing the transaction. Valid
 * shares that still aggregate to a bad signature fail the transaction.
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
  const signature = aggregateVerified(
    packages,
    vault.groupPublicKeyXOnly ?? "",
    transaction.digest,
    shares.map((s) => ({ signer: s.signerIndex, share: s.share })),
  );
  const actor = guardianActor(me.guardianId);
  if (signature === null) {
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
  await tx.transaction.update({
    where: { id: transaction.id },
    data: { status: "COMPLETED", signature, completedAt: now },
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
    details: { vaultId: vault.id, attempt: attempt.attempt, signature },
  });
  const events: GuardianEventInput[] = members.map((member) => ({
    guardianId: member.guardianId,
    vaultId: vault.id,
    type: "transaction.completed",
    payload: { transactionId: transaction.id, attempt: attempt.attempt, signature },
  }));
  return {
    result: signingSubmissionResult(ctx, "COMPLETED"),
    notices: await appendGuardianEvents(tx, now, events),
  };
}

/** The group signature, or null when the shares do not aggregate to one that verifies. */
function aggregateVerified(
  { publicKeyPackage, signingPackage }: SigningPackages,
  groupPublicKeyXOnly: string,
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
