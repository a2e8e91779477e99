import { normalizeInvitationCode } from "@conclave/auth/random-secret";
import type { DbTransaction } from "@conclave/db/create-prisma-client";
import { AuthenticationError } from "../../errors/authentication-error";
import { invitationCodeHmac } from "./create-invitation";

export type RedeemedInvitation = { id: string; vaultId: string; role: "GUARDIAN" };

// Claims the invitation inside the caller's transaction. The conditional UPDATE is
// the lock: of two concurrent redemptions the second waits on the row, re-checks
// `usedAt IS NULL`, matches nothing and fails. Unknown, expired, used and revoked
// codes all fail alike, so a caller learns nothing about which codes exist.
export async function redeemInvitation(
  tx: DbTransaction,
  input: { pepper: string; code: string; now: Date; vaultId?: string | undefined },
): Promise<RedeemedInvitation> {
  const canonical = normalizeInvitationCode(input.code);
  if (canonical === null)
    throw new AuthenticationError("invitation_invalid", "Invitation code is invalid");
  const codeHmac = invitationCodeHmac(input.pepper, canonical);
  const { count } = await tx.invitation.updateMany({
    where: {
      codeHmac,
      usedAt: null,
      revokedAt: null,
      expiresAt: { gt: input.now },
      ...(input.vaultId ? { vaultId: input.vaultId } : {}),
    },
    data: { usedAt: input.now },
  });
  if (count !== 1)
    throw new AuthenticationError("invitation_invalid", "Invitation code is invalid");
  const invitation = await tx.invitation.findUniqueOrThrow({
    where: { codeHmac },
    select: { id: true, vaultId: true, role: true },
  });
  return invitation;
}
