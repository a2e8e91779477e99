import type { ApiDependencies } from "../../context/api-dependencies";
import { liveSessionWhere } from "../sessions/active-session-window";

export type GuardianOverview = {
  id: string;
  displayName: string;
  status: string;
  identityPublicKey: string;
  createdAt: Date;
  vaults: { vaultId: string; name: string; guardianIndex: number | null }[];
  liveSessions: number;
};

export async function listGuardians(
  deps: Pick<ApiDependencies, "prisma" | "clock" | "config">,
): Promise<GuardianOverview[]> {
  const now = deps.clock.now();
  const [guardians, sessions] = await Promise.all([
    deps.prisma.guardian.findMany({
      orderBy: { createdAt: "desc" },
      take: 500,
      select: {
        id: true,
        displayName: true,
        status: true,
        identityPublicKey: true,
        createdAt: true,
        memberships: {
          where: { revokedAt: null },
          select: { guardianIndex: true, vault: { select: { id: true, name: true } } },
        },
      },
    }),
    deps.prisma.session.groupBy({
      by: ["subjectId"],
      where: { subjectType: "GUARDIAN", ...liveSessionWhere(deps.config, now) },
      _count: { _all: true },
    }),
  ]);
  const live = new Map(sessions.map((row) => [row.subjectId, row._count._all]));
  return guardians.map(({ memberships, ...guardian }) => ({
    ...guardian,
    vaults: memberships.map((membership) => ({
      vaultId: membership.vault.id,
      name: membership.vault.name,
      guardianIndex: membership.guardianIndex,
    })),
    liveSessions: live.get(guardian.id) ?? 0,
  }));
}
