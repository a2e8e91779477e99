import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { NotFoundError } from "../../errors/not-found-error";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import { lockVault } from "../coordination/lock-rows";

/**
 * Called by the invitation service inside its transaction: the first invitation moves
 * a DRAFT vault to INVITING; once keygen has started no invitation can be created.
 */
export async function onInvitationCreated(
  tx: DbTransaction,
  meta: RequestMeta,
  actor: AuditActor,
  vaultId: string,
): Promise<void> {
  if (!(await lockVault(tx, vaultId))) throw new NotFoundError("vault_not_found");
  const vault = await tx.vault.findUniqueOrThrow({
    where: { id: vaultId },
    select: { status: true },
  });
  if (vault.status === "INVITING") return;
  if (vault.status !== "DRAFT") {
    throw new ConflictError("vault_not_inviting", "This vault takes no more invitations");
  }
  await tx.vault.update({ where: { id: vaultId }, data: { status: "INVITING" } });
  await recordAudit(tx, meta, {
    actor,
    action: "vault.invite_open",
    outcome: "SUCCESS",
    target: { type: "vault", id: vaultId },
    details: { from: "DRAFT", to: "INVITING" },
  });
}
