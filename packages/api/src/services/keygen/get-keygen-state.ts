import type { DkgRound1Package } from "@conclave/frost/wire-types";
import type { ApiDependencies } from "../../context/api-dependencies";
import { NotFoundError } from "../../errors/not-found-error";
import { PermissionError } from "../../errors/permission-error";
import { dkgRound1PackageColumn } from "../coordination/coordination-json-columns";
import { listVaultMembers, memberOf } from "../coordination/vault-members";

export type KeygenState = {
  vaultId: string;
  vaultStatus: "DRAFT" | "INVITING" | "KEYGEN" | "ACTIVE" | "DISABLED" | "DELETED";
  threshold: number;
  participants: number;
  guardianIndex: number;
  groupPublicKeyXOnly: string | null;
  members: { guardianIndex: number; identityPublicKey: string }[];
  ceremony: {
    id: string;
    attempt: number;
    round: number;
    status: "OPEN" | "COMPLETED" | "FAILED" | "EXPIRED" | "CANCELLED";
    roundDeadline: Date;
    /** Every round-1 package, once round 1 has closed (public data). */
    round1: { package: DkgRound1Package; roundPublicKey: string; roundKeySignature: string }[];
    /** Envelopes addressed to the caller, once round 2 has closed. */
    round2Inbox: { senderIndex: number; ciphertext: string; signature: string }[];
    submitted: { round1: number[]; round2: number[]; round3: number[] };
  } | null;
};

/** What a guardian needs to run (or resume) the current DKG ceremony of its vault. */
export async function getKeygenState(
  deps: ApiDependencies,
  guardianId: string,
  vaultId: string,
): Promise<KeygenState> {
  const vault = await deps.prisma.vault.findUnique({ where: { id: vaultId } });
  if (!vault) throw new NotFoundError("vault_not_found");
  const members = await listVaultMembers(deps.prisma, vaultId);
  const me = memberOf(members, guardianId);
  if (!me) throw new PermissionError("not_a_vault_member");
  const ceremony = await deps.prisma.dkgCeremony.findFirst({
    where: { vaultId },
    orderBy: { attempt: "desc" },
    include: {
      round1: { orderBy: { guardianIndex: "asc" } },
      round2: {
        select: { senderIndex: true, recipientIndex: true, ciphertext: true, signature: true },
      },
      round3: { select: { guardianIndex: true } },
    },
  });
  const pastRound = (round: number) =>
    ceremony !== null && (ceremony.round > round || ceremony.status === "COMPLETED");
  return {
    vaultId,
    vaultStatus: vault.status,
    threshold: vault.threshold,
    participants: vault.guardianCount,
    guardianIndex: me.guardianIndex,
    groupPublicKeyXOnly: vault.groupPublicKeyXOnly,
    members: members.map((m) => ({
      guardianIndex: m.guardianIndex,
      identityPublicKey: m.identityPublicKey,
    })),
    ceremony: ceremony
      ? {
          id: ceremony.id,
          attempt: ceremony.attempt,
          round: ceremony.round,
          status: ceremony.status,
          roundDeadline: ceremony.roundDeadline,
          round1: pastRound(1)
            ? ceremony.round1.map((s) => ({
                package: dkgRound1PackageColumn.read(s.package),
                roundPublicKey: s.roundPublicKey,
                roundKeySignature: s.roundKeySignature,
              }))
            : [],
          round2Inbox: pastRound(2)
            ? ceremony.round2
                .filter((e) => e.recipientIndex === me.guardianIndex)
                .sort((a, b) => a.senderIndex - b.senderIndex)
                .map((e) => ({
                  senderIndex: e.senderIndex,
                  ciphertext: e.ciphertext,
                  signature: e.signature,
                }))
            : [],
          submitted: {
            round1: ceremony.round1.map((s) => s.guardianIndex),
            round2: [...new Set(ceremony.round2.map((e) => e.senderIndex))].sort((a, b) => a - b),
            round3: ceremony.round3.map((r) => r.guardianIndex).sort((a, b) => a - b),
          },
        }
      : null,
  };
}
