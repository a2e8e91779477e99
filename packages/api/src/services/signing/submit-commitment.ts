import { FrostInputError } from "@conclave/frost/errors";
import { decodePoint } from "@conclave/frost/point-validation";
import type { SigningPackage } from "@conclave/frost/wire-types";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { auditCoordination, guardianActor } from "../coordination/coordination-audit";
import { runCoordination } from "../coordination/coordination-transaction";
import { jsonColumn } from "../coordination/json-column";
import { appendGuardianEvents } from "../events/append-guardian-events";
import type { GuardianEventInput } from "../events/guardian-event-types";
import { assertTransactionOpen, loadSigningContext } from "./load-signing-context";

export type SubmitCommitmentInput = {
  vaultId: string;
  transactionId: string;
  attempt: number;
  hiding: string;
  binding: string;
};

export type SigningSubmissionResult = {
  transactionId: string;
  attempt: number;
  /** True when the same content had already been accepted (idempotent resubmission). */
  duplicate: boolean;
  /** The signer set, once fixed for this attempt. */
  signers: number[];
  transactionStatus: "PENDING" | "SIGNING" | "COMPLETED" | "FAILED" | "EXPIRED" | "CANCELLED";
};

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002"
  );
}

/**
 * Approval: round-1 nonce commitments for one (transaction, attempt). A commitment
 * point is accepted once, ever (unique columns), so a replay into another attempt or
 * transaction is refused. The t-th commitment fixes the signer set and publishes the
 * signing package, whose message is the server-computed digest.
 */
export async function submitCommitment(
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  input: SubmitCommitmentInput,
): Promise<SigningSubmissionResult> {
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
  const now = deps.clock.now();
  try {
    return await runCoordination<SigningSubmissionResult>(deps, async (tx) => {
      const { transaction, vault, members, me, attempt } = await loadSigningContext(
        tx,
        input,
        guardianId,
      );
      const existing = await tx.signingCommitment.findUnique({
        where: { attemptId_signerIndex: { attemptId: attempt.id, signerIndex: me.guardianIndex } },
      });
      if (existing) {
        if (existing.hiding !== input.hiding || existing.binding !== input.binding) {
          throw new ConflictError(
            "commitment_conflict",
            "Different commitments were already submitted for this attempt",
          );
        }
        return {
          result: {
            transactionId: transaction.id,
            attempt: attempt.attempt,
            duplicate: true,
            signers: attempt.signerIndexes,
            transactionStatus: transaction.status,
          },
          notices: [],
        };
      }
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
      await auditCoordination(tx, meta, {
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
          result: {
            transactionId: transaction.id,
            attempt: attempt.attempt,
            duplicate: false,
            signers: [],
            transactionStatus: transaction.status,
          },
          notices: [],
        };
      }
      const signers = commitments.map((c) => c.signerIndex);
      const signingPackage: SigningPackage = {
        commitments: commitments.map((c) => ({
          signer: c.signerIndex,
          hiding: c.hiding,
          binding: c.binding,
        })),
        message: transaction.digest,
      };
      const roundDeadline = new Date(
        Math.min(now.getTime() + deps.config.signingRoundTtlMs, transaction.expiresAt.getTime()),
      );
      await tx.signingAttempt.update({
        where: { id: attempt.id },
        data: {
          status: "SIGNING",
          signerIndexes: signers,
          signingPackage: jsonColumn(signingPackage),
          roundDeadline,
        },
      });
      await tx.transaction.update({ where: { id: transaction.id }, data: { status: "SIGNING" } });
      await auditCoordination(tx, meta, {
        actor: guardianActor(guardianId),
        action: "signing.package",
        outcome: "SUCCESS",
        target: { type: "transaction", id: transaction.id },
        details: { attempt: attempt.attempt, signers },
      });
      const excluded = new Set(transaction.exclusions.map((e) => e.guardianId));
      const events: GuardianEventInput[] = members
        .filter((m) => !excluded.has(m.guardianId))
        .map((member) =>
          signers.includes(member.guardianIndex)
            ? {
                guardianId: member.guardianId,
                vaultId: vault.id,
                type: "signing.package_published",
                payload: {
                  transactionId: transaction.id,
                  attempt: attempt.attempt,
                  roundDeadline: roundDeadline.toISOString(),
                  signingPackage,
                },
              }
            : {
                guardianId: member.guardianId,
                vaultId: vault.id,
                type: "signing.signer_set_fixed",
                payload: { transactionId: transaction.id, attempt: attempt.attempt, signers },
              },
        );
      const notices = await appendGuardianEvents(tx, now, events);
      return {
        result: {
          transactionId: transaction.id,
          attempt: attempt.attempt,
          duplicate: false,
          signers,
          transactionStatus: "SIGNING",
        },
        notices,
      };
    });
  } catch (error) {
    // Two submissions of one point racing in different transactions: the loser lands here.
    if (isUniqueViolation(error)) {
      throw new ConflictError("commitment_replayed", "These commitments were already used");
    }
    throw error;
  }
}
