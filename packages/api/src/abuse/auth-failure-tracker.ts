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

/**
 * A credential attempt. `identifier` names what was tried (guardian public key, login
 * e-mail, invitation, API key prefix); it is hashed before it is stored, so stores
 * and keys never hold it.
 */
export type AuthAttempt = { identifier: string | null; meta: RequestMeta };

export type AuthGate =
  { allowed: true } | { allowed: false; reason: "banned" | "backoff"; retryAfterSeconds: number };

export type AuthFailureOutcome = { retryAfterSeconds: number; ban: BanRecord | null };

export type AuthFailureTracker = {
  /** Before checking a credential: refuses a banned address or one still backing off. */
  check(attempt: AuthAttempt): Promise<AuthGate>;
  /** After a failed check: grows the backoff and bans the address past the threshold. */
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

  return {
    async check({ identifier, meta }) {
      const ip = meta.ip === null ? null : canonicalIp(meta.ip);
      if (ip !== null) {
        const ban = await bans.isBanned(ip);
        if (ban) {
          return {
            allowed: false,
            reason: "banned",
            retryAfterSeconds: seconds(ban.expiresAt.getTime() - clock.now().getTime()),
          };
        }
      }
      const now = clock.now().getTime();
      const since = now - policy.backoffWindowMs;
      const { value } = await store.run(async (s) => {
        const [byId, byIp] = await Promise.all([
          identifier === null ? null : s.logRead(identifierKey(identifier), since),
          ip === null ? null : s.logRead(ipBackoffKey(ip), since),
        ]);
        return Math.max(
          byId ? waitMs(byId.count, byId.newestMs, policy.freeFailuresPerIdentifier, now) : 0,
          byIp ? waitMs(byIp.count, byIp.newestMs, policy.freeFailuresPerIp, now) : 0,
        );
      });
      if (value === 0) return { allowed: true };
      const marker = `${ip ?? "-"}\n${identifier === null ? "-" : identifierKey(identifier)}`;
      if ((reportedBackoffs.get(marker) ?? 0) <= now) {
        reportedBackoffs.set(marker, now + value);
        events.record(meta, {
          kind: "auth.backoff_refused",
          severity: "INFO",
          details: { retryAfterSeconds: seconds(value) },
        });
      }
      return { allowed: false, reason: "backoff", retryAfterSeconds: seconds(value) };
    },

    async recordFailure({ identifier, meta }) {
      const ip = meta.ip === null ? null : canonicalIp(meta.ip);
      const now = clock.now().getTime();
      const member = randomUUID();
      const backoffSince = now - policy.backoffWindowMs;
      const ttl = Math.max(policy.backoffWindowMs, policy.banWindowMs);
      const { value } = await store.run(async (s) => {
        const [byId, byIp, banWindow] = await Promise.all([
          identifier === null
            ? null
            : s.logAppend(identifierKey(identifier), member, now, backoffSince, ttl),
          ip === null ? null : s.logAppend(ipBackoffKey(ip), member, now, backoffSince, ttl),
          ip === null
            ? null
            : s.logAppend(ipBanKey(ip), member, now, now - policy.banWindowMs, ttl),
        ]);
        return {
          wait: Math.max(
            byId ? waitMs(byId.count, byId.newestMs, policy.freeFailuresPerIdentifier, now) : 0,
            byIp ? waitMs(byIp.count, byIp.newestMs, policy.freeFailuresPerIp, now) : 0,
          ),
          banCount: banWindow?.count ?? 0,
        };
      });
      let ban: BanRecord | null = null;
      if (ip !== null && value.banCount >= policy.banThreshold) {
        ban = await bans.ban({
          ip,
          reason: `${value.banCount} failed authentications within ${Math.round(policy.banWindowMs / 60_000)} min`,
          meta,
        });
      }
      const retryAfterMs = ban ? ban.expiresAt.getTime() - now : value.wait;
      return { retryAfterSeconds: retryAfterMs > 0 ? seconds(retryAfterMs) : 0, ban };
    },

    async recordSuccess({ identifier }) {
      if (identifier === null) return;
      await store.run((s) => s.delete([identifierKey(identifier)]));
    },
  };
}
