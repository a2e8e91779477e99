import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { NotFoundError } from "../../errors/not-found-error";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import { runCoordination } from "../coordination/coordination-transaction";
import { lockVault } from "../coordination/lock-rows";
import { listVaultMembers } from "../coordination/vault-members";
import { appendGuardianEvents } from "../events/append-guardian-events";
import type { GuardianEventInput } from "../events/guardian-event-types";
import type { VaultDetail } from "./vault-detail-view";
import { loadVaultDetail } from "./vault-detail-view";

export type RetireVaultInput = {
  vaultId: string;
  /** The admin re-types the vault's name: a deliberate second step for a one-way act. */
  confirmName: string;
};

/**
 * DISABLED stops all signing; DELETED is the same, kept as a soft-deleted record.
 * Open keygen ceremonies and transactions are cancelled and pending invitations
 * revoked, in the same transaction.
 */
export async function retireVault(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor,
  input: RetireVaultInput,
  to: "DISABLED" | "DELETED",
): Promise<VaultDetail> {
  const now = deps.clock.now();
  return runCoordination(deps, async (tx) => {
    if (!(await lockVault(tx, input.vaultId))) throw new NotFoundError("vault_not_found");
    const vault = await tx.vault.findUniqueOrThrow({ where: { id: input.vaultId } });
    if (vault.status === "DELETED") throw new NotFoundError("vault_not_found");
    if (input.confirmName.normalize("NFC") !== vault.name) {
      throw new InvalidRequestError(
        "confirmation_mismatch",
        "The confirmation does not match the vault name",
      );
    }
    if (to === "DISABLED" && vault.status === "DISABLED") {
      throw new ConflictError("vault_already_disabled", "The vault is already disabled");
    }
    await tx.vault.update({
      where: { id: vault.id },
      data: to === "DISABLED" ? { status: to, disabledAt: now } : { status: to, deletedAt: now },
    });
    const ceremonies = await tx.dkgCeremony.updateMany({
      where: { vaultId: vault.id, status: "OPEN" },
      data: { status: "CANCELLED", closedAt: now, failureReason: "vault_retired" },
    });
    const open = await tx.transaction.findMany({
      where: { vaultId: vault.id, status: { in: ["PENDING", "SIGNING"] } },
      select: { id: true },
    });
    const openIds = open.map((t) => t.id);
    await tx.transaction.updateMany({
      where: { id: { in: openIds } },
      data: { status: "CANCELLED", cancelledAt: now, failureReason: "vault_retired" },
    });
    await tx.signingAttempt.updateMany({
      where: { transactionId: { in: openIds }, status: { in: ["COMMITTING", "SIGNING"] } },
      data: { status: "CANCELLED", closedAt: now, failureReason: "vault_retired" },
    });
    const invitations = await tx.invitation.updateMany({
      where: { vaultId: vault.id, usedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    await recordAudit(tx, meta, {
      actor,
      action: to === "DISABLED" ? "vault.disable" : "vault.delete",
      outcome: "SUCCESS",
      target: { type: "vault", id: vault.id },
      details: {
        from: vault.status,
        cancelledCeremonies: ceremonies.count,
        cancelledTransactions: openIds,
        revokedInvitations: invitations.count,
      },
    });
    const members = await listVaultMembers(tx, vault.id);
    const events: GuardianEventInput[] = [];
    for (const member of members) {
      for (const transactionId of openIds) {
        events.push({
          guardianId: member.guardianId,
          vaultId: vault.id,
          type: "transaction.cancelled",
          payload: { transactionId, reason: "vault_retired" },
        });
      }
      events.push({
        guardianId: member.guardianId,
        vaultId: vault.id,
        type: to === "DISABLED" ? "vault.disabled" : "vault.deleted",
        payload: {},
      });
    }
    const notices = await appendGuardianEvents(tx, now, events);
    return { result: await loadVaultDetail(tx, vault.id), notices };
  });
}
