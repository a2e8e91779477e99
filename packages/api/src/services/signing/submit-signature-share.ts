import { aggregateSignature } from "@conclave/frost/aggregate";
import { FrostAggregationError, FrostInputError } from "@conclave/frost/errors";
import { verifyGroupSignature } from "@conclave/frost/verify-signature";
import { verifySignatureShare } from "@conclave/frost/verify-share";
import type { PublicKeyPackage, SigningPackage } from "@conclave/frost/wire-types";
import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { PermissionError } from "../../errors/permission-error";
import { auditCoordination, guardianActor } from "../coordination/coordination-audit";
import type { CoordinationOutcome } from "../coordination/coordination-transaction";
import { runCoordination } from "../coordination/coordination-transaction";
import type { VaultMember } from "../coordination/vault-members";
import { appendGuardianEvents } from "../events/append-guardian-events";
import type { GuardianEventInput } from "../events/guardian-event-types";
import { recordSecurityEvent } from "../security/record-security-event";
import { finishTransaction } from "../transactions/finish-transaction";
import { assertTransactionOpen, loadSigningContext } from "./load-signing-context";
import { openSigningAttempt } from "./open-signing-attempt";
import type { SigningSubmissionResult } from "./submit-commitment";

export type SubmitShareInput = {
  vaultId: string;
  transactionId: string;
  attempt: number;
  share: string;
};

type ShareOutcome = SigningSubmissionResult & { rejected: boolean };

/**
 * Signing round 2. Each share is verified on arrival (RFC 9591 section 5.4). A bad
 * share names its guardian (security event and audit row), excludes it from the
 * transaction and starts a fresh attempt while enough honest guardians remain; the
 * change is committed and the caller then gets an error. With every share in, the
 * server aggregates, checks the signature as a plain BIP340 verifier would, stores it
 * and completes the transaction.
 */
export async function submitSignatureShare(
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  input: SubmitShareInput,
): Promise<SigningSubmissionResult> {
  const now = deps.clock.now();
  const outcome = await runCoordination<ShareOutcome>(deps, async (tx) => {
    const { transaction, vault, members, me, attempt } = await loadSigningContext(
      tx,
      input,
      guardianId,
    );
    const result = (
      status: ShareOutcome["transactionStatus"],
      extra: Partial<ShareOutcome> = {},
    ) => ({
      transactionId: transaction.id,
      attempt: attempt.attempt,
      duplicate: false,
      signers: attempt.signerIndexes,
      transactionStatus: status,
      rejected: false,
      ...extra,
    });
    const existing = await tx.signatureShareSubmission.findUnique({
      where: { attemptId_signerIndex: { attemptId: attempt.id, signerIndex: me.guardianIndex } },
    });
    if (existing) {
      if (existing.share !== input.share) {
        throw new ConflictError(
          "share_conflict",
          "A different share was already submitted for this attempt",
        );
      }
      return {
        result: result(transaction.status, { duplicate: true, rejected: !existing.valid }),
        notices: [],
      };
    }
    assertTransactionOpen(transaction, attempt, "SIGNING", now);
    if (!attempt.signerIndexes.includes(me.guardianIndex)) {
      throw new PermissionError(
        "not_a_signer",
        "This guardian is not in the signer set of this attempt",
      );
    }
    const publicKeyPackage = vault.publicKeyPackage as unknown as PublicKeyPackage;
    const signingPackage = attempt.signingPackage as unknown as SigningPackage;
    let valid: boolean;
    try {
      valid = verifySignatureShare({
        publicKeyPackage,
        signingPackage,
        share: { signer: me.guardianIndex, share: input.share },
      });
    } catch (error) {
      if (!(error instanceof FrostInputError)) throw error;
      valid = false;
    }
    await tx.signatureShareSubmission.create({
      data: {
        attemptId: attempt.id,
        guardianId,
        signerIndex: me.guardianIndex,
        share: input.share,
        valid,
        createdAt: now,
      },
    });
    await auditCoordination(tx, meta, {
      actor: guardianActor(guardianId),
      action: "signing.share",
      outcome: valid ? "SUCCESS" : "FAILURE",
      target: { type: "transaction", id: transaction.id },
      details: { attempt: attempt.attempt, signerIndex: me.guardianIndex, valid },
    });

    if (!valid) {
      const events = await excludeCheater(
        tx,
        deps,
        meta,
        { transaction, vault, members, me, attempt },
        now,
      );
      const status = (await tx.transaction.findUniqueOrThrow({ where: { id: transaction.id } }))
        .status;
      return {
        result: result(status, { rejected: true }),
        notices: await appendGuardianEvents(tx, now, events),
      };
    }

    const shares = await tx.signatureShareSubmission.findMany({
      where: { attemptId: attempt.id, valid: true },
      orderBy: { signerIndex: "asc" },
    });
    if (shares.length < attempt.signerIndexes.length) {
      return { result: result(transaction.status), notices: [] };
    }
    return completeTransaction(
      tx,
      deps,
      meta,
      guardianId,
      {
        transaction,
        vaultId: vault.id,
        groupPublicKeyXOnly: vault.groupPublicKeyXOnly ?? "",
        members,
        attempt,
        publicKeyPackage,
        signingPackage,
        shares: shares.map((s) => ({ signer: s.signerIndex, share: s.share })),
        result,
      },
      now,
    );
  });
  if (outcome.rejected && !outcome.duplicate) {
    throw new InvalidRequestError("invalid_signature_share", "The signature share does not verify");
  }
  if (outcome.rejected) {
    throw new ConflictError("share_rejected", "This share was already rejected");
  }
  const { rejected: _rejected, ...result } = outcome;
  return result;
}

async function excludeCheater(
  tx: DbTransaction,
  deps: ApiDependencies,
  meta: RequestMeta,
  ctx: {
    transaction: {
      id: string;
      vaultId: string;
      currentAttempt: number;
      digest: string;
      chain: string;
      network: string;
      destination: string;
      amount: string;
      memo: string;
      expiresAt: Date;
      exclusions: { guardianId: string }[];
    };
    vault: { id: string; threshold: number };
    members: VaultMember[];
    me: VaultMember;
    attempt: { id: string; attempt: number };
  },
  now: Date,
): Promise<GuardianEventInput[]> {
  const { transaction, vault, members, me, attempt } = ctx;
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
  await auditCoordination(tx, meta, {
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
  const retryable =
    eligible.length >= vault.threshold && nextAttempt <= deps.config.maxSigningAttempts;
  if (!retryable) {
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
    return events;
  }
  await tx.transaction.update({
    where: { id: transaction.id },
    data: { currentAttempt: nextAttempt, status: "PENDING" },
  });
  await auditCoordination(tx, meta, {
    actor: guardianActor(me.guardianId),
    action: "signing.attempt",
    outcome: "SUCCESS",
    target: { type: "transaction", id: transaction.id },
    details: { attempt: nextAttempt, excludedGuardianIds: [...excluded] },
  });
  events.push(...(await openSigningAttempt(tx, deps, transaction, eligible, nextAttempt, now)));
  return events;
}

async function completeTransaction(
  tx: DbTransaction,
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  ctx: {
    transaction: { id: string; vaultId: string; currentAttempt: number; digest: string };
    vaultId: string;
    groupPublicKeyXOnly: string;
    members: VaultMember[];
    attempt: { id: string; attempt: number };
    publicKeyPackage: PublicKeyPackage;
    signingPackage: SigningPackage;
    shares: { signer: number; share: string }[];
    result: (status: ShareOutcome["transactionStatus"]) => ShareOutcome;
  },
  now: Date,
): Promise<CoordinationOutcome<ShareOutcome>> {
  const { transaction, members, attempt } = ctx;
  let signature: string | null = null;
  try {
    signature = aggregateSignature(ctx.publicKeyPackage, ctx.signingPackage, ctx.shares);
  } catch (error) {
    if (!(error instanceof FrostAggregationError)) throw error;
  }
  const verified =
    signature !== null &&
    verifyGroupSignature({
      groupPublicKeyXOnly: ctx.groupPublicKeyXOnly,
      message: transaction.digest,
      signature,
    });
  if (!verified || signature === null) {
    const events = await finishTransaction(
      tx,
      meta,
      guardianActor(guardianId),
      transaction,
      members,
      { status: "FAILED", reason: "aggregate_invalid" },
      now,
    );
    return { result: ctx.result("FAILED"), notices: await appendGuardianEvents(tx, now, events) };
  }
  await tx.transaction.update({
    where: { id: transaction.id },
    data: { status: "COMPLETED", signature, completedAt: now },
  });
  await tx.signingAttempt.update({
    where: { id: attempt.id },
    data: { status: "COMPLETED", closedAt: now },
  });
  await auditCoordination(tx, meta, {
    actor: guardianActor(guardianId),
    action: "transaction.complete",
    outcome: "SUCCESS",
    target: { type: "transaction", id: transaction.id },
    details: { vaultId: ctx.vaultId, attempt: attempt.attempt, signature },
  });
  const events: GuardianEventInput[] = members.map((member) => ({
    guardianId: member.guardianId,
    vaultId: ctx.vaultId,
    type: "transaction.completed",
    payload: { transactionId: transaction.id, attempt: attempt.attempt, signature },
  }));
  return { result: ctx.result("COMPLETED"), notices: await appendGuardianEvents(tx, now, events) };
}
