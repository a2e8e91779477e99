import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { VaultMember } from "../coordination/vault-members";
import type { GuardianEventInput } from "../events/guardian-event-types";
import type { SigningContext } from "./load-signing-context";

export type SigningTransaction = Pick<
  SigningContext["transaction"],
  | "id"
  | "vaultId"
  | "chain"
  | "network"
  | "destination"
  | "amount"
  | "memo"
  | "digest"
  | "expiresAt"
>;

/**
 * Opens attempt `attempt` (commitments round) and asks every eligible guardian to
 * approve. The request carries the structured fields so each client re-derives the
 * digest itself before it commits.
 */
export async function openSigningAttempt(
  tx: DbTransaction,
  deps: ApiDependencies,
  transaction: SigningTransaction,
  eligible: readonly VaultMember[],
  attempt: number,
  now: Date,
): Promise<GuardianEventInput[]> {
  const roundDeadline = new Date(
    Math.min(now.getTime() + deps.config.signingRoundTtlMs, transaction.expiresAt.getTime()),
  );
  await tx.signingAttempt.create({
    data: { transactionId: transaction.id, attempt, roundDeadline, createdAt: now },
  });
  return eligible.map((member) => ({
    guardianId: member.guardianId,
    vaultId: transaction.vaultId,
    type: "signing.requested",
    payload: {
      transactionId: transaction.id,
      attempt,
      roundDeadline: roundDeadline.toISOString(),
      expiresAt: transaction.expiresAt.toISOString(),
      digest: transaction.digest,
      chain: transaction.chain,
      network: transaction.network,
      destination: transaction.destination,
      amount: transaction.amount,
      memo: transaction.memo,
      guardianIndex: member.guardianIndex,
    },
  }));
}
