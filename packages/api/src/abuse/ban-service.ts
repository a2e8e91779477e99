import { z } from "zod";
import type { DbTransaction, PrismaClient } from "@conclave/db/create-prisma-client";
import type { Logger } from "@conclave/logger/create-logger";
import type { Clock } from "../clock/clock";
import type { RequestMeta } from "../context/request-facts";
import type { PubSub } from "../events/pubsub";
import { subscribeJson } from "../events/subscribe-json";
import { NotFoundError } from "../errors/not-found-error";
import { type AuditActor, recordAudit } from "../services/audit/record-audit";
import type { AuthFailurePolicy } from "./abuse-config";
import type { AbuseEventLog } from "./abuse-event-log";
import type { AbuseStore } from "./abuse-store";
import { canonicalIp } from "./ip-address";
import { abuseKey } from "./limiter-keys";
import { withTimeout } from "./with-timeout";

export type BanRecord = {
  id: string;
  ip: string;
  reason: string;
  strikes: number;
  createdAt: Date;
  expiresAt: Date;
  liftedAt: Date | null;
  liftedBy: string | null;
};

export type ActiveBan = { banId: string; expiresAt: Date; strikes: number };

export type BanService = {
  /** Fast path for every request and upgrade: the shared cache, the database if it is down. */
  isBanned(ip: string): Promise<ActiveBan | null>;
  /** Bans `ip` for the duration its strike count earns; an active ban is returned as is. */
  ban(input: { ip: string; reason: string; meta: RequestMeta }): Promise<BanRecord>;
  listBans(input: { activeOnly: boolean; limit: number }): Promise<BanRecord[]>;
  /** Lifts every active ban of `ip`; NotFoundError when there is none. */
  liftBan(actor: BanActor, ip: string, meta: RequestMeta): Promise<BanRecord[]>;
  /**
   * Copies active bans into the cache (call at start: Redis may have been flushed) and
   * drops the cached bans of this process that are no longer active.
   */
  restoreCache(): Promise<number>;
  /**
   * A process-local cache (no Redis) follows the bans and lifts of other processes
   * (the CLI, the console, the ws-server) through the database's NOTIFY.
   */
  followChanges(pubsub: PubSub, logger: Logger): Promise<void>;
};

type CachedBan = { banId: string; expiresAt: string; strikes: number };

/**
 * Bans made by the failure tracker are audited as the system's own act; an admin lifts
 * as a USER, the operator CLI as SYSTEM with `cli:<login>`.
 */
export type BanActor = AuditActor;
const systemActor: BanActor = { actorType: "SYSTEM", actorId: null };

// Serialises ban decisions per address across processes (two processes crossing the
// threshold together must make one ban, not two strikes).
const banLockClass = 0x62616e;

export function banCacheKey(prefix: string, ip: string): string {
  return abuseKey(prefix, "ban", [ip]);
}

// Sent inside the transaction that bans or lifts, so every listener hears it exactly
// when the change commits, whichever process (or the CLI) made it.
export const BAN_CHANGES_CHANNEL = "conclave:bans";
const banChange = z.strictObject({
  action: z.enum(["ban", "lift"]),
  ip: z.string().max(45),
});

async function announceBanChange(
  tx: DbTransaction,
  change: z.infer<typeof banChange>,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${BAN_CHANGES_CHANNEL}, ${JSON.stringify(change)})`;
}

export function createBanService(options: {
  prisma: PrismaClient;
  cache: AbuseStore;
  events: AbuseEventLog;
  clock: Clock;
  policy: AuthFailurePolicy;
  keyPrefix: string;
  cacheTimeoutMs: number;
  /** Keys to forget when a ban is lifted (the address's failure logs). */
  forgetOnLift: (ip: string) => string[];
}): BanService {
  const { prisma, cache, events, clock, policy, keyPrefix } = options;

  const requireIp = (raw: string): string => {
    const ip = canonicalIp(raw);
    if (ip === null) throw new Error("not an IP address");
    return ip;
  };

  // Addresses this process has cached, with when (a counter), so a resync can drop the
  // lifted ones, but not one banned here while its snapshot was being read.
  const cachedIps = new Map<string, number>();
  let cacheWrites = 0;

  async function cacheBan(ban: BanRecord): Promise<void> {
    const ttl = ban.expiresAt.getTime() - clock.now().getTime();
    if (ttl <= 0) return;
    cachedIps.set(ban.ip, ++cacheWrites);
    const entry: CachedBan = {
      banId: ban.id,
      expiresAt: ban.expiresAt.toISOString(),
      strikes: ban.strikes,
    };
    await withTimeout(
      cache.set(banCacheKey(keyPrefix, ban.ip), JSON.stringify(entry), ttl),
      options.cacheTimeoutMs,
    );
  }

  // A ban made while the cache was unreachable lives only in the database; once the
  // cache answers again, the active bans are copied back so it refuses that address too.
  let cacheBehind = false;

  async function resync(): Promise<number> {
    const snapshotAt = cacheWrites;
    const bans = await prisma.ban.findMany({
      where: { liftedAt: null, expiresAt: { gt: clock.now() } },
    });
    const active = new Set(bans.map((ban) => ban.ip));
    const stale = [...cachedIps]
      .filter(([ip, at]) => at <= snapshotAt && !active.has(ip))
      .map(([ip]) => ip);
    if (stale.length > 0) {
      await withTimeout(
        cache.delete(stale.map((ip) => banCacheKey(keyPrefix, ip))),
        options.cacheTimeoutMs,
      );
      for (const ip of stale) cachedIps.delete(ip);
    }
    for (const ban of bans) await cacheBan(ban);
    return bans.length;
  }

  // A burst of notifications (or the timer firing during one) costs one more resync,
  // never a queue of them: a resync started after the last change sees it.
  let running: Promise<number> | null = null;
  let next: Promise<number> | null = null;
  function restoreCache(): Promise<number> {
    if (running === null) {
      running = resync().finally(() => {
        running = null;
      });
      return running;
    }
    next ??= running
      .catch(() => 0)
      .then(() => {
        next = null;
        return restoreCache();
      });
    return next;
  }

  async function activeBans(db: PrismaClient | DbTransaction, ip: string): Promise<BanRecord[]> {
    return db.ban.findMany({
      where: { ip, liftedAt: null, expiresAt: { gt: clock.now() } },
      orderBy: { expiresAt: "desc" },
    });
  }

  return {
    async isBanned(raw) {
      const ip = canonicalIp(raw);
      if (ip === null) return null;
      const now = clock.now().getTime();
      let cached: string | null;
      try {
        cached = await withTimeout(cache.get(banCacheKey(keyPrefix, ip)), options.cacheTimeoutMs);
      } catch {
        const [ban] = await activeBans(prisma, ip);
        return ban ? { banId: ban.id, expiresAt: ban.expiresAt, strikes: ban.strikes } : null;
      }
      if (cacheBehind) {
        cacheBehind = false;
        await restoreCache().catch(() => {
          cacheBehind = true;
        });
        cached = await withTimeout(cache.get(banCacheKey(keyPrefix, ip)), options.cacheTimeoutMs);
      }
      if (cached === null) return null;
      const entry = JSON.parse(cached) as CachedBan;
      const expiresAt = new Date(entry.expiresAt);
      // The cache's TTL runs on Redis's clock; expiry is decided on ours.
      return expiresAt.getTime() > now
        ? { banId: entry.banId, expiresAt, strikes: entry.strikes }
        : null;
    },

    async ban({ ip: raw, reason, meta }) {
      const ip = requireIp(raw);
      const now = clock.now();
      const { ban, created } = await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${banLockClass}::int, hashtext(${ip}))`;
        const [existing] = await activeBans(tx, ip);
        if (existing) return { ban: existing, created: false };
        const earlier = await tx.ban.count({
          where: { ip, createdAt: { gte: new Date(now.getTime() - policy.strikeMemoryMs) } },
        });
        const strikes = earlier + 1;
        const durations = policy.banDurationsMs;
        const durationMs = durations[Math.min(strikes, durations.length) - 1] ?? 0;
        const row = await tx.ban.create({
          data: {
            ip,
            reason,
            strikes,
            createdAt: now,
            expiresAt: new Date(now.getTime() + durationMs),
          },
        });
        await recordAudit(tx, meta, {
          actor: systemActor,
          action: "ban.create",
          target: { type: "IP", id: ip },
          outcome: "SUCCESS",
          details: { banId: row.id, reason, strikes, expiresAt: row.expiresAt.toISOString() },
        });
        await announceBanChange(tx, { action: "ban", ip });
        return { ban: row, created: true };
      });
      if (created) {
        events.record(meta, {
          kind: "ip.banned",
          severity: "WARN",
          details: {
            banId: ban.id,
            reason,
            strikes: ban.strikes,
            expiresAt: ban.expiresAt.toISOString(),
          },
        });
      }
      // The record is committed; while the cache is down, isBanned reads the database.
      await cacheBan(ban).catch(() => {
        cacheBehind = true;
      });
      return ban;
    },

    async listBans({ activeOnly, limit }) {
      return prisma.ban.findMany({
        where: activeOnly ? { liftedAt: null, expiresAt: { gt: clock.now() } } : {},
        orderBy: { createdAt: "desc" },
        take: limit,
      });
    },

    async liftBan(actor, raw, meta) {
      const ip = requireIp(raw);
      const liftedBy = `${actor.actorType}:${actor.actorId ?? "-"}`;
      const lifted = await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${banLockClass}::int, hashtext(${ip}))`;
        const bans = await activeBans(tx, ip);
        const liftedAt = clock.now();
        const rows: BanRecord[] = [];
        for (const ban of bans) {
          rows.push(await tx.ban.update({ where: { id: ban.id }, data: { liftedAt, liftedBy } }));
          await recordAudit(tx, meta, {
            actor,
            action: "ban.lift",
            target: { type: "IP", id: ip },
            outcome: "SUCCESS",
            details: { banId: ban.id, strikes: ban.strikes },
          });
        }
        if (rows.length > 0) await announceBanChange(tx, { action: "lift", ip });
        return rows;
      });
      if (lifted.length > 0)
        events.record(meta, {
          kind: "ip.ban_lifted",
          severity: "INFO",
          subjectType: actor.actorType,
          subjectId: actor.actorId,
          details: { bans: lifted.map((ban) => ban.id) },
        });
      // Unlike a new ban, a lift that does not reach the cache is an error the caller
      // must see: the address would stay refused until the ban's own expiry. The cache
      // is cleared even when nothing was active, so retrying such a lift repairs it.
      await withTimeout(
        cache.delete([banCacheKey(keyPrefix, ip), ...options.forgetOnLift(ip)]),
        options.cacheTimeoutMs,
      );
      if (lifted.length === 0)
        throw new NotFoundError("ban_not_found", "No active ban for this address");
      return lifted;
    },

    restoreCache,

    async followChanges(pubsub, logger) {
      await subscribeJson(pubsub, BAN_CHANGES_CHANNEL, banChange, logger, (change) => {
        const ip = canonicalIp(change.ip);
        if (ip === null) return;
        // A lift also forgets the address's failures here, as the lifting process did
        // in its own memory, so the next failed attempt does not ban it again.
        const forget =
          change.action === "lift"
            ? withTimeout(
                cache.delete([banCacheKey(keyPrefix, ip), ...options.forgetOnLift(ip)]),
                options.cacheTimeoutMs,
              )
            : Promise.resolve();
        forget.then(restoreCache).catch((error: unknown) => {
          logger.warn({ err: error, action: change.action }, "ban cache: change not applied");
        });
      });
    },
  };
}
