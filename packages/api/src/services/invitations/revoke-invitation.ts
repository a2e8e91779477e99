import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { NotFoundError } from "../../errors/not-found-error";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";

export async function revokeInvitation(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor,
  input: { invitationId: string },
): Promise<{ id: string; revokedAt: Date }> {
  const now = deps.clock.now();
  return deps.prisma.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({
      where: { id: input.invitationId, usedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) {
      const exists = await tx.invitation.findUnique({
        where: { id: input.invitationId },
        select: { id: true },
      });
      if (!exists) throw new NotFoundError("invitation_not_found");
      throw new ConflictError("invitation_not_pending", "Invitation is already used or revoked");
    }
    await recordAudit(tx, meta, {
      actor,
      action: "invitation.revoke",
      outcome: "SUCCESS",
      target: { type: "invitation", id: input.invitationId },
    });
    return { id: input.invitationId, revokedAt: now };
  });
}
