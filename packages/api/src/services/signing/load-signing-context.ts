import type { DbTransaction } from "@conclave/db/create-prisma-client";
import { ConflictError } from "../../errors/conflict-error";
import { NotFoundError } from "../../errors/not-found-error";
import { PermissionError } from "../../errors/permission-error";
import { lockTransaction } from "../coordination/lock-rows";
import { listVaultMembers, memberOf } from "../coordination/vault-members";

/**
 * Locks the transaction and loads what every signing submission checks: the vault,
 * the caller's membership, the attempt named by the caller, and the exclusions.
 */
export async function loadSigningContext(
  tx: DbTransaction,
  input: { vaultId: string; transactionId: string; attempt: number },
  guardianId: string,
) {
  if (!(await lockTransaction(tx, input.transactionId))) {
    throw new NotFoundError("transaction_not_found");
  }
  const transaction = await tx.transaction.findUniqueOrThrow({
    where: { id: input.transactionId },
    include: { exclusions: true },
  });
  if (transaction.vaultId !== input.vaultId) throw new NotFoundError("transaction_not_found");
  const vault = await tx.vault.findUniqueOrThrow({ where: { id: transaction.vaultId } });
  const members = await listVaultMembers(tx, vault.id);
  const me = memberOf(members, guardianId);
  if (!me) throw new PermissionError("not_a_vault_member");
  if (transaction.exclusions.some((e) => e.guardianId === guardianId)) {
    throw new PermissionError(
      "guardian_excluded",
      "This guardian is excluded from this transaction",
    );
  }
  const attempt = await tx.signingAttempt.findUnique({
    where: { transactionId_attempt: { transactionId: transaction.id, attempt: input.attempt } },
  });
  if (!attempt) throw new ConflictError("stale_attempt", "No such signing attempt");
  return { transaction, vault, members, me, attempt };
}

export type SigningContext = Awaited<ReturnType<typeof loadSigningContext>>;

export function assertTransactionOpen(
  transaction: { status: string; currentAttempt: number; expiresAt: Date },
  attempt: { attempt: number; status: string; roundDeadline: Date },
  expectedAttemptStatus: "COMMITTING" | "SIGNING",
  now: Date,
): void {
  if (transaction.status !== "PENDING" && transaction.status !== "SIGNING") {
    throw new ConflictError("transaction_closed", `The transaction is ${transaction.status}`);
  }
  if (attempt.attempt !== transaction.currentAttempt) {
    throw new ConflictError("stale_attempt", "This signing attempt is over");
  }
  if (
    now.getTime() > transaction.expiresAt.getTime() ||
    now.getTime() > attempt.roundDeadline.getTime()
  ) {
    throw new ConflictError("round_deadline_passed", "The round deadline has passed");
  }
  if (attempt.status !== expectedAttemptStatus) {
    throw new ConflictError(
      expectedAttemptStatus === "COMMITTING" ? "signer_set_fixed" : "round_not_open",
      expectedAttemptStatus === "COMMITTING"
        ? "The signer set for this attempt is already fixed"
        : "This attempt is not collecting signature shares",
    );
  }
}
