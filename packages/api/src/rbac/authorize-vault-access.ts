import type { ApiContext } from "../context/create-api-context";
import { PermissionError } from "../errors/permission-error";
import type { Principal } from "./principal";
import { recordDenial } from "./record-denial";

// Guardians reach only vaults they are members of; console roles already passed
// the role check for the permission and see every vault. A missing vault and a
// foreign vault look the same to a guardian.
export async function authorizeVaultAccess(
  ctx: ApiContext,
  principal: Principal,
  vaultId: string,
  path: string,
): Promise<void> {
  if (principal.kind !== "session" || principal.subjectType !== "GUARDIAN") return;
  const membership = await ctx.deps.prisma.vaultMembership.findUnique({
    where: { vaultId_guardianId: { vaultId, guardianId: principal.subjectId } },
    select: { revokedAt: true },
  });
  if (membership && !membership.revokedAt) return;
  await recordDenial(ctx, { kind: "forbidden", reason: "not_a_vault_member", principal, path });
  throw new PermissionError("not_a_vault_member");
}
