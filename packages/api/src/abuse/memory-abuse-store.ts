import type { Clock } from "../clock/clock";
import type { AbuseStore, LogSummary } from "./abuse-store";
import { backoffDelayMs } from "./backoff-delay";

type Entry = { scores?: Map<string, number>; value?: string; expiresAtMs: number };

/** The embedded-mode and fallback store: the Redis store's semantics in one process. */
export function createMemoryAbuseStore(clock: Clock): AbuseStore {
  const entries = new Map<string, Entry>();
  let writes = 0;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry !== undefined && entry.expiresAtMs <= clock.now().getTime()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const scoresOf = (key: string, ttlMs: number): Map<string, number> => {
    const expiresAtMs = clock.now().getTime() + ttlMs;
    const entry = live(key);
    if (entry?.scores) {
      entry.expiresAtMs = expiresAtMs;
      return entry.scores;
    }
    const scores = new Map<string, number>();
    entries.set(key, { scores, expiresAtMs });
    if (++writes % 10_000 === 0) {
      for (const k of [...entries.keys()]) live(k);
    }
    return scores;
  };
  const summarise = (scores: Map<string, number> | undefined, sinceMs: number): LogSummary => {
    let count = 0;
    let newestMs: number | null = null;
    for (const score of scores?.values() ?? []) {
      if (score < sinceMs) continue;
      count++;
      newestMs = newestMs === null ? score : Math.max(newestMs, score);
    }
    return { count, newestMs };
  };

  return {
    logAppend(key, member, atMs, sinceMs, ttlMs) {
      const scores = scoresOf(key, ttlMs);
      for (const [m, score] of scores) if (score < sinceMs) scores.delete(m);
      scores.set(member, atMs);
      return Promise.resolve(summarise(scores, sinceMs));
    },
    logRead(key, sinceMs) {
      return Promise.resolve(summarise(live(key)?.scores, sinceMs));
    },
    // Synchronous from the read to the write: no other attempt runs in between.
    logReserve(logs, member, atMs, sinceMs, ttlMs, curve) {
      let waitMs = 0;
      for (const { key, free } of logs) {
        const { count, newestMs } = summarise(live(key)?.scores, sinceMs);
        if (newestMs === null) continue;
        const delay = backoffDelayMs(count, free, curve.baseMs, curve.maxMs);
        waitMs = Math.max(waitMs, newestMs + delay - atMs);
      }
      if (waitMs > 0) return Promise.resolve({ reserved: false, waitMs });
      for (const { key } of logs) {
        const scores = scoresOf(key, ttlMs);
        for (const [m, score] of scores) if (score < sinceMs) scores.delete(m);
        scores.set(member, atMs);
      }
      return Promise.resolve({ reserved: true });
    },
    logRemove(keys, member) {
      for (const key of keys) live(key)?.scores?.delete(member);
      return Promise.resolve();
    },
    slotAcquire(key, holder, nowMs, leaseUntilMs, max, ttlMs) {
      const scores = scoresOf(key, ttlMs);
      for (const [m, score] of scores) if (score <= nowMs) scores.delete(m);
      if (!scores.has(holder) && scores.size >= max) {
        return Promise.resolve({ acquired: false, held: scores.size });
      }
      scores.set(holder, leaseUntilMs);
      return Promise.resolve({ acquired: true, held: scores.size });
    },
    slotRenew(key, holder, leaseUntilMs, ttlMs) {
      const scores = live(key)?.scores;
      if (scores?.has(holder) !== true) return Promise.resolve(false);
      scoresOf(key, ttlMs).set(holder, leaseUntilMs);
      return Promise.resolve(true);
    },
    slotRelease(key, holder) {
      live(key)?.scores?.delete(holder);
      return Promise.resolve();
    },
    get(key) {
      return Promise.resolve(live(key)?.value ?? null);
    },
    set(key, value, ttlMs) {
      entries.set(key, { value, expiresAtMs: clock.now().getTime() + ttlMs });
      return Promise.resolve();
    },
    delete(keys) {
      for (const key of keys) entries.delete(key);
      return Promise.resolve();
    },
  };
}
