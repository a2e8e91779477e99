import type { DbTransaction } from "@conclave/db/create-prisma-client";
import { ConflictError } from "../../errors/conflict-error";
import { NotFoundError } from "../../errors/not-found-error";
import { PermissionError } from "../../errors/permission-error";
import { lockVault } from "../coordination/lock-rows";
import type { VaultMember } from "../coordination/vault-members";
import { listVaultMembers, memberOf } from "../coordination/vault-members";

/** Locks the vault and loads the ceremony, the caller's membership and all members. */
export async function loadCeremonyForGuardian(
  tx: DbTransaction,
  vaultId: string,
  ceremonyId: string,
  guardianId: string,
) {
  if (!(await lockVault(tx, vaultId))) throw new NotFoundError("vault_not_found");
  const vault = await tx.vault.findUniqueOrThrow({ where: { id: vaultId } });
  const ceremony = await tx.dkgCeremony.findUnique({ where: { id: ceremonyId } });
  if (ceremony?.vaultId !== vaultId) throw new NotFoundError("ceremony_not_found");
  const members = await listVaultMembers(tx, vaultId);
  const me = memberOf(members, guardianId);
  if (!me) throw new PermissionError("not_a_vault_member");
  return { vault, ceremony, members, me };
}

/** Refuses a submission for a round that is not the open one, or past its deadline. */
export function assertRoundOpen(
  ceremony: { status: string; round: number; roundDeadline: Date },
  round: number,
  now: Date,
): void {
  if (ceremony.status !== "OPEN")
    throw new ConflictError("ceremony_closed", "This keygen ceremony is closed");
  if (ceremony.round !== round)
    throw new ConflictError("round_not_open", `Keygen round ${round} is not open`);
  if (now.getTime() > ceremony.roundDeadline.getTime()) {
    throw new ConflictError("round_deadline_passed", "The round deadline has passed");
  }
}

export type { VaultMember };
