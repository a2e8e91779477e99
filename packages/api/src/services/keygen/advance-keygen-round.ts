import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { VaultMember } from "../coordination/vault-members";
import type { GuardianEventInput } from "../events/guardian-event-types";

/** Opens the next round with a fresh persisted deadline and tells every member. */
export async function advanceKeygenRound(
  tx: DbTransaction,
  deps: ApiDependencies,
  vaultId: string,
  ceremony: { id: string; attempt: number },
  members: readonly VaultMember[],
  round: 2 | 3,
  now: Date,
): Promise<GuardianEventInput[]> {
  const roundDeadline = new Date(now.getTime() + deps.config.keygenRoundTtlMs);
  await tx.dkgCeremony.update({ where: { id: ceremony.id }, data: { round, roundDeadline } });
  return members.map((member) => ({
    guardianId: member.guardianId,
    vaultId,
    type: "keygen.round_opened",
    payload: {
      ceremonyId: ceremony.id,
      attempt: ceremony.attempt,
      round,
      roundDeadline: roundDeadline.toISOString(),
    },
  }));
}
