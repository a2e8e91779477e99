import type { ApiDependencies } from "../../context/api-dependencies";
import { liveSessionWhere } from "../sessions/active-session-window";
import { listSecurityEvents, type SecurityEventRow } from "../security-events/list-security-events";

export type DashboardSummary = {
  vaultsByStatus: { status: string; count: number }[];
  guardians: number;
  liveSessions: number;
  openInvitations: number;
  failedLoginsLastHour: number;
  /** 60 buckets, oldest first: failed console and guardian logins per minute. */
  failedLoginsPerMinute: number[];
  /** 60 buckets, oldest first: mean seconds from proposal to signature, null without data. */
  signingLatencyPerMinute: (number | null)[];
  recentSecurityEvents: SecurityEventRow[];
};

const minute = 60_000;

export async function dashboardSummary(
  deps: Pick<ApiDependencies, "prisma" | "clock" | "config">,
): Promise<DashboardSummary> {
  const now = deps.clock.now();
  const hourAgo = new Date(now.getTime() - 60 * minute);
  const [vaults, guardians, liveSessions, openInvitations, failures, recent, signed] =
    await Promise.all([
      deps.prisma.vault.groupBy({ by: ["status"], _count: { _all: true } }),
      deps.prisma.guardian.count(),
      deps.prisma.session.count({ where: liveSessionWhere(deps.config, now) }),
      deps.prisma.invitation.count({
        where: { usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      }),
      deps.prisma.auditEvent.findMany({
        where: {
          action: { in: ["user_login_failed", "guardian_login_failed"] },
          at: { gt: hourAgo, lte: now },
        },
        select: { at: true },
        take: 10_000,
      }),
      listSecurityEvents(deps, { limit: 8 }),
      deps.prisma.transaction.findMany({
        where: { status: "COMPLETED", completedAt: { gt: hourAgo, lte: now } },
        select: { createdAt: true, completedAt: true },
        take: 10_000,
      }),
    ]);
  const perMinute = Array.from({ length: 60 }, () => 0);
  for (const { at } of failures) {
    const index = 59 - Math.floor((now.getTime() - at.getTime()) / minute);
    if (index >= 0 && index < 60) perMinute[index] = (perMinute[index] ?? 0) + 1;
  }
  const latency = Array.from({ length: 60 }, () => ({ total: 0, count: 0 }));
  for (const { createdAt, completedAt } of signed) {
    if (completedAt === null) continue;
    const bucket = latency[59 - Math.floor((now.getTime() - completedAt.getTime()) / minute)];
    if (!bucket) continue;
    bucket.total += (completedAt.getTime() - createdAt.getTime()) / 1000;
    bucket.count += 1;
  }
  return {
    vaultsByStatus: vaults.map((row) => ({ status: row.status, count: row._count._all })),
    guardians,
    liveSessions,
    openInvitations,
    failedLoginsLastHour: failures.length,
    failedLoginsPerMinute: perMinute,
    signingLatencyPerMinute: latency.map((bucket) =>
      bucket.count === 0 ? null : Math.round((bucket.total / bucket.count) * 10) / 10,
    ),
    recentSecurityEvents: recent.items,
  };
}
