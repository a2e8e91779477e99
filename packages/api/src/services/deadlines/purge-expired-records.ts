import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { recordAudit, systemActor } from "../audit/record-audit";

export type RetentionPolicy = {
  /** Security events, and sessions after they end, are kept this long (RETENTION_DAYS). */
  retentionMs: number;
  /** Identity challenges are kept this long after they expire. */
  identityChallengeRetentionMs: number;
};

export type PurgeResult = {
  securityEventsDeleted: number;
  sessionsDeleted: number;
  identityChallengesDeleted: number;
};

const purgeMeta: RequestMeta = { ip: null, userAgent: null, requestId: "retention-purge" };

/** Rows per table per run: a first purge of a large backlog spreads over several runs. */
const batch = 10_000;

// One instance purges at a time; the others find the lock taken and skip the run.
const purgeLock = "conclave.retention-purge";

/**
 * Deletes what the retention policy no longer keeps: security events older than
 * `retentionMs`, sessions that ended (revoked, expired or idle) more than `retentionMs`
 * ago, and identity challenges expired for more than `identityChallengeRetentionMs`
 * (spent or not: a challenge lives a minute). One transaction, with one audit row of
 * counts and cutoffs, never of row contents. Returns null when another instance holds
 * the purge.
 */
export async function purgeExpiredRecords(
  deps: Pick<ApiDependencies, "prisma">,
  policy: RetentionPolicy,
  now: Date,
): Promise<PurgeResult | null> {
  const { retentionMs, identityChallengeRetentionMs } = policy;
  const before = new Date(now.getTime() - retentionMs);
  const challengesBefore = new Date(now.getTime() - identityChallengeRetentionMs);
  return deps.prisma.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ acquired: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtext(${purgeLock})) AS acquired`;
    if (lock?.acquired !== true) return null;
    const securityEventsDeleted = await tx.$executeRaw`
      DELETE FROM "SecurityEvent" WHERE id IN (
        SELECT id FROM "SecurityEvent" WHERE at < ${before} ORDER BY at LIMIT ${batch})`;
    const sessionsDeleted = await tx.$executeRaw`
      DELETE FROM "Session" WHERE id IN (
        SELECT id FROM "Session"
        WHERE "revokedAt" < ${before} OR "expiresAt" < ${before} OR "lastActivityAt" < ${before}
        LIMIT ${batch})`;
    const identityChallengesDeleted = await tx.$executeRaw`
      DELETE FROM "IdentityChallenge" WHERE id IN (
        SELECT id FROM "IdentityChallenge" WHERE "expiresAt" < ${challengesBefore}
        ORDER BY "expiresAt" LIMIT ${batch})`;
    const result = { securityEventsDeleted, sessionsDeleted, identityChallengesDeleted };
    await recordAudit(tx, purgeMeta, {
      actor: systemActor,
      action: "retention.purge",
      outcome: "SUCCESS",
      details: {
        ...result,
        securityEventsBefore: before.toISOString(),
        sessionsBefore: before.toISOString(),
        identityChallengesBefore: challengesBefore.toISOString(),
      },
    });
    return result;
  });
}
