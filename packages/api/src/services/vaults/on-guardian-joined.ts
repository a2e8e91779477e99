import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { NotFoundError } from "../../errors/not-found-error";
import { systemActor } from "../audit/record-audit";
import { lockVault } from "../coordination/lock-rows";
import { listVaultMembers } from "../coordination/vault-members";
import { openKeygenCeremony } from "../keygen/open-keygen-ceremony";
import { appendGuardianEvents } from "../events/append-guardian-events";
import type { GuardianEventInput } from "../events/guardian-event-types";

/**
 * Called by the join service inside its transaction, after the membership row exists.
 * Refuses (rolling the join back) when the vault no longer takes guardians or is full,
 * gives the new member the next FROST index (join order), and starts keygen once the
 * n-th guardian is in.
 *
 * The event notices are published before the join commits; subscribers look again
 * for a notified id that is not yet visible, so the early publish is harmless.
 */
export async function onGuardianJoined(
  tx: DbTransaction,
  deps: ApiDependencies,
  meta: RequestMeta,
  vaultId: string,
): Promise<void> {
  const now = deps.clock.now();
  if (!(await lockVault(tx, vaultId))) throw new NotFoundError("vault_not_found");
  const vault = await tx.vault.findUniqueOrThrow({ where: { id: vaultId } });
  if (vault.status !== "DRAFT" && vault.status !== "INVITING") {
    throw new ConflictError("vault_not_accepting_guardians", "This vault takes no more guardians");
  }
  const memberships = await tx.vaultMembership.findMany({
    where: { vaultId, revokedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, guardianIndex: true },
  });
  if (memberships.length > vault.guardianCount) {
    throw new ConflictError("vault_full", "This vault already has all its guardians");
  }
  let next = Math.max(0, ...memberships.map((m) => m.guardianIndex ?? 0)) + 1;
  for (const membership of memberships) {
    if (membership.guardianIndex !== null) continue;
    await tx.vaultMembership.update({
      where: { id: membership.id },
      data: { guardianIndex: next++ },
    });
  }
  const members = await listVaultMembers(tx, vaultId);
  const events: GuardianEventInput[] = members.map((member) => ({
    guardianId: member.guardianId,
    vaultId,
    type: "vault.member_joined",
    payload: { joined: members.length, guardianCount: vault.guardianCount },
  }));
  if (members.length === vault.guardianCount) {
    await tx.vault.update({ where: { id: vaultId }, data: { status: "KEYGEN" } });
    events.push(...(await openKeygenCeremony(tx, deps, meta, systemActor, vault, members, 1, now)));
  }
  deps.guardianEvents.publish(await appendGuardianEvents(tx, now, events));
}
