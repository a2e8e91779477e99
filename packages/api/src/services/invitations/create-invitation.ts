import { pepperedHash } from "@conclave/auth/peppered-hash";
import { generateInvitationCode, normalizeInvitationCode } from "@conclave/auth/random-secret";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { NotFoundError } from "../../errors/not-found-error";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import { onInvitationCreated } from "../vaults/on-invitation-created";

export type CreatedInvitation = {
  id: string;
  vaultId: string;
  role: "GUARDIAN";
  expiresAt: Date;
  /** Shown once; only its HMAC is stored. */
  code: string;
};

export function invitationCodeHmac(pepper: string, canonicalCode: string): string {
  return pepperedHash(pepper, "invitation-code", canonicalCode);
}

export async function createInvitation(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor & { createdById: string },
  input: { vaultId: string; role: "GUARDIAN"; expiresInMs?: number | undefined },
): Promise<CreatedInvitation> {
  const now = deps.clock.now();
  const ttl = input.expiresInMs ?? deps.config.invitationTtlMs;
  if (ttl <= 0 || ttl > deps.config.invitationTtlMs)
    throw new InvalidRequestError("invitation_ttl_out_of_range");
  const code = generateInvitationCode();
  const canonical = normalizeInvitationCode(code);
  if (canonical === null) throw new Error("generated invitation code does not normalise");
  return deps.prisma.$transaction(async (tx) => {
    const vault = await tx.vault.findUnique({
      where: { id: input.vaultId },
      select: { status: true },
    });
    if (!vault || vault.status === "DELETED" || vault.status === "DISABLED") {
      throw new NotFoundError("vault_not_found");
    }
    await onInvitationCreated(tx, meta, actor, input.vaultId);
    const invitation = await tx.invitation.create({
      data: {
        vaultId: input.vaultId,
        role: input.role,
        codeHmac: invitationCodeHmac(deps.peppers.inviteCode, canonical),
        expiresAt: new Date(now.getTime() + ttl),
        createdById: actor.createdById,
        createdAt: now,
      },
    });
    await recordAudit(tx, meta, {
      actor,
      action: "invitation.create",
      outcome: "SUCCESS",
      target: { type: "invitation", id: invitation.id },
      details: {
        vaultId: input.vaultId,
        role: input.role,
        expiresAt: invitation.expiresAt.toISOString(),
      },
    });
    return {
      id: invitation.id,
      vaultId: invitation.vaultId,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
      code,
    };
  });
}
