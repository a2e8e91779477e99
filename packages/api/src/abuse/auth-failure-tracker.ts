import { createHash, randomUUID } from "node:crypto";
import type { Clock } from "../clock/clock";
import type { RequestMeta } from "../context/request-facts";
import type { AuthFailurePolicy } from "./abuse-config";
import type { AbuseEventLog } from "./abuse-event-log";
import { backoffDelayMs } from "./backoff-delay";
import { BoundedMap } from "./bounded-map";
import type { BanRecord, BanService } from "./ban-service";
import { canonicalIp } from "./ip-address";
import { abuseKey } from "./limiter-keys";
import type { ResilientStore } from "./resilient-store";
import type { BackoffLog } from "./abuse-store";

/**
 * A credential attempt. `identifier` names what was tried (guardian public key, login
 * e-mail, invitation, API key prefix); it is hashed before it is stored, so stores
 * and keys never hold it.
 */
export type AuthAttempt = { identifier: string | null; meta: RequestMeta };

export type AuthGate =
  { allowed: true } | { allowed: false; reason: "banned" | "backoff"; retryAfterSeconds: number };

export type AuthFailureOutcome = { retryAfterSeconds: number; ban: BanRecord | null };

/**
 * An attempt admitted by `reserve`: it already counts as a failure in the backoff logs
 * (so attempts fired in parallel see it), and must be settled exactly once.
 */
export type AuthReservation = {
  /** The credential was wrong: the failure stays counted and counts toward a ban. */
  fail(): Promise<AuthFailureOutcome>;
  /** The credential was right: the identifier's failures are forgotten, this one too. */
  succeed(): Promise<void>;
  /** The credential was never judged (bad input, an outage): the attempt is uncounted. */
  release(): Promise<void>;
};

export type AuthRefusal = Exclude<AuthGate, { allowed: true }>;

export type AuthAdmission = ({ allowed: true } & AuthReservation) | AuthRefusal;

export type AuthFailureTracker = {
  /** Read only: whether a banned address or one still backing off would be refused. */
  check(attempt: AuthAttempt): Promise<AuthGate>;
  /**
   * Before checking a credential: refuses a banned address or one still backing off
   * (the refusal counts toward the ban), otherwise reserves the attempt in the same
   * atomic step as the check.
   */
  reserve(attempt: AuthAttempt): Promise<AuthAdmission>;
  /** A failure seen without a reservation: grows the backoff and may ban the address. */
  recordFailure(attempt: AuthAttempt): Promise<AuthFailureOutcome>;
  /** After a successful check: the identifier's failures are forgotten (the IP's are not). */
  recordSuccess(attempt: AuthAttempt): Promise<void>;
};

/** Keys holding an address's failures (backoff log, ban-window log), forgotten on lift. */
export function authFailureIpKeys(keyPrefix: string, ip: string): [string, string] {
  return [abuseKey(keyPrefix, "authfail:ip", [ip]), abuseKey(keyPrefix, "authfail:ban", [ip])];
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export function createAuthFailureTracker(options: {
  policy: AuthFailurePolicy;
  store: ResilientStore;
  bans: BanService;
  events: AbuseEventLog;
  clock: Clock;
  keyPrefix: string;
}): AuthFailureTracker {
  const { policy, store, bans, events, clock, keyPrefix } = options;
  const identifierKey = (identifier: string): string =>
    abuseKey(keyPrefix, "authfail:id", [
      createHash("sha256").update(identifier, "utf8").digest("hex"),
    ]);
  // One backoff event per (address, identifier) per backoff period, however often the
  // client knocks meanwhile.
  const reportedBackoffs = new BoundedMap<string, number>(10_000);
  const ipBackoffKey = (ip: string): string => authFailureIpKeys(keyPrefix, ip)[0];
  const ipBanKey = (ip: string): string => authFailureIpKeys(keyPrefix, ip)[1];

  function waitMs(count: number, newestMs: number | null, free: number, now: number): number {
    if (newestMs === null) return 0;
    const delay = backoffDelayMs(count, free, policy.baseDelayMs, policy.maxDelayMs);
    return Math.max(0, newestMs + delay - now);
  }

  const canonical = (meta: RequestMeta): string | null =>
    meta.ip === null ? null : canonicalIp(meta.ip);
  const backoffLogs = (identifier: string | null, ip: string | null): BackoffLog[] => [
    ...(identifier === null
      ? []
      : [{ key: identifierKey(identifier), free: policy.freeFailuresPerIdentifier }]),
    ...(ip === null ? [] : [{ key: ipBackoffKey(ip), free: policy.freeFailuresPerIp }]),
  ];
  const curve = { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs };
  const ttl = Math.max(policy.backoffWindowMs, policy.banWindowMs);

  async function banGate(ip: string | null): Promise<AuthRefusal | null> {
    const ban = ip === null ? null : await bans.isBanned(ip);
    if (ban === null) return null;
    return {
      allowed: false,
      reason: "banned",
      retryAfterSeconds: seconds(ban.expiresAt.getTime() - clock.now().getTime()),
    };
  }

  function reportBackoff(
    meta: RequestMeta,
    ip: string | null,
    identifier: string | null,
    waitMs: number,
  ): AuthRefusal {
    const now = clock.now().getTime();
    const marker = `${ip ?? "-"}\n${identifier === null ? "-" : identifierKey(identifier)}`;
    if ((reportedBackoffs.get(marker) ?? 0) <= now) {
      reportedBackoffs.set(marker, now + waitMs);
      events.record(meta, {
        kind: "auth.backoff_refused",
        severity: "INFO",
        details: { retryAfterSeconds: seconds(waitMs) },
      });
    }
    return { allowed: false, reason: "backoff", retryAfterSeconds: seconds(waitMs) };
  }

  async function currentWaitMs(identifier: string | null, ip: string | null): Promise<number> {
    const now = clock.now().getTime();
    const since = now - policy.backoffWindowMs;
    const { value } = await store.run(async (s) => {
      const waits = await Promise.all(
        backoffLogs(identifier, ip).map(async ({ key, free }) => {
          const { count, newestMs } = await s.logRead(key, since);
          return waitMs(count, newestMs, free, now);
        }),
      );
      return Math.max(0, ...waits);
    });
    return value;
  }

  /**
   * One more failure or refusal of `ip` in the ban window; bans it at the threshold.
   * Refusals count too: without them a client that keeps failing as fast as backoff
   * and the per-IP limit allow would reach the threshold only after about the window
   * itself (see abuse-config.ts), and one that ignores Retry-After would never be banned.
   */
  async function countTowardBan(
    ip: string,
    member: string,
    meta: RequestMeta,
  ): Promise<BanRecord | null> {
    const now = clock.now().getTime();
    const { value: count } = await store.run(
      async (s) =>
        (await s.logAppend(ipBanKey(ip), member, now, now - policy.banWindowMs, ttl)).count,
    );
    if (count < policy.banThreshold) return null;
    return bans.ban({
      ip,
      reason: `${count} failed or refused authentications within ${Math.round(policy.banWindowMs / 60_000)} min`,
      meta,
    });
  }

  async function outcomeAfterFailure(
    identifier: string | null,
    ip: string | null,
    ban: BanRecord | null,
  ): Promise<AuthFailureOutcome> {
    const retryAfterMs = ban
      ? ban.expiresAt.getTime() - clock.now().getTime()
      : await currentWaitMs(identifier, ip);
    return { retryAfterSeconds: retryAfterMs > 0 ? seconds(retryAfterMs) : 0, ban };
  }

  return {
    async check({ identifier, meta }) {
      const ip = canonical(meta);
      const banned = await banGate(ip);
      if (banned) return banned;
      const wait = await currentWaitMs(identifier, ip);
      return wait === 0 ? { allowed: true } : reportBackoff(meta, ip, identifier, wait);
    },

    async reserve({ identifier, meta }) {
      const ip = canonical(meta);
      const banned = await banGate(ip);
      if (banned) return banned;
      const now = clock.now().getTime();
      const member = randomUUID();
      const logs = backoffLogs(identifier, ip);
      const { value: outcome } = await store.run((s) =>
        s.logReserve(logs, member, now, now - policy.backoffWindowMs, ttl, curve),
      );
      if (!outcome.reserved) {
        const ban = ip === null ? null : await countTowardBan(ip, member, meta);
        return ban
          ? {
              allowed: false,
              reason: "banned",
              retryAfterSeconds: seconds(ban.expiresAt.getTime() - now),
            }
          : reportBackoff(meta, ip, identifier, outcome.waitMs);
      }
      const keys = logs.map((log) => log.key);
      return {
        allowed: true,
        async fail() {
          const ban = ip === null ? null : await countTowardBan(ip, member, meta);
          return outcomeAfterFailure(identifier, ip, ban);
        },
        async succeed() {
          await store.run((s) =>
            Promise.all([
              s.logRemove(keys, member),
              identifier === null ? Promise.resolve() : s.delete([identifierKey(identifier)]),
            ]),
          );
        },
        async release() {
          await store.run((s) => s.logRemove(keys, member));
        },
      };
    },

    async recordFailure({ identifier, meta }) {
      const ip = canonical(meta);
      const now = clock.now().getTime();
      const member = randomUUID();
      const since = now - policy.backoffWindowMs;
      await store.run((s) =>
        Promise.all(
          backoffLogs(identifier, ip).map(({ key }) => s.logAppend(key, member, now, since, ttl)),
        ),
      );
      const ban = ip === null ? null : await countTowardBan(ip, member, meta);
      return outcomeAfterFailure(identifier, ip, ban);
    },

    async recordSuccess({ identifier }) {
      if (identifier === null) return;
      await store.run((s) => s.delete([identifierKey(identifier)]));
    },
  };
}
