import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import type { VaultMember } from "../coordination/vault-members";
import type { GuardianEventInput } from "../events/guardian-event-types";

/** Opens round 1 of a fresh DKG attempt; the caller holds the vault lock. */
export async function openKeygenCeremony(
  tx: DbTransaction,
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor,
  vault: { id: string; threshold: number; guardianCount: number },
  members: readonly VaultMember[],
  attempt: number,
  now: Date,
): Promise<GuardianEventInput[]> {
  const roundDeadline = new Date(now.getTime() + deps.config.keygenRoundTtlMs);
  const ceremony = await tx.dkgCeremony.create({
    data: { vaultId: vault.id, attempt, round: 1, roundDeadline, createdAt: now },
  });
  await recordAudit(tx, meta, {
    actor,
    action: "keygen.start",
    outcome: "SUCCESS",
    target: { type: "dkg_ceremony", id: ceremony.id },
    details: { vaultId: vault.id, attempt, roundDeadline: roundDeadline.toISOString() },
  });
  return members.map((member) => ({
    guardianId: member.guardianId,
    vaultId: vault.id,
    type: "keygen.round_opened",
    payload: {
      ceremonyId: ceremony.id,
      attempt,
      round: 1,
      roundDeadline: roundDeadline.toISOString(),
      threshold: vault.threshold,
      participants: vault.guardianCount,
      guardianIndex: member.guardianIndex,
    },
  }));
}
