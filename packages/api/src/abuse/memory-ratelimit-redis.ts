import type { Clock } from "../clock/clock";
import { sha1Hex } from "./ioredis-ratelimit-adapter";
import type { RatelimitRedis } from "./ratelimit-redis";
import { toRedisArg } from "./ratelimit-redis";

/** Raised for any script this backend has no TypeScript twin for. */
export class UnknownScriptError extends Error {
  constructor(sha: string) {
    super(
      `in-memory rate-limit backend has no implementation of script ${sha}; ` +
        "the @upstash/ratelimit version or algorithm changed: port the script first",
    );
    this.name = "UnknownScriptError";
  }
}

type Entry = { value: string; expiresAtMs: number | null };
type Keyspace = {
  get(key: string): string | null;
  incrBy(key: string, by: number): number;
  pexpire(key: string, ms: number): void;
  deleteMatching(pattern: string): void;
};
type Script = (db: Keyspace, keys: string[], argv: string[]) => unknown;

function dynamicLimit(db: Keyspace, key: string | undefined, fallback: number): number {
  if (key === undefined || key === "") return fallback;
  const value = db.get(key);
  return value === null ? fallback : Number(value);
}

// Lua numbers returned to Redis are truncated to integers.
const luaInteger = Math.trunc;

function weightedPrevious(db: Keyspace, previousKey: string, now: number, window: number): number {
  const previous = Number(db.get(previousKey) ?? 0);
  return Math.floor((1 - (now % window) / window) * previous);
}

// Twins of @upstash/ratelimit 2.2.0's single-region sliding-window scripts (limit,
// getRemaining) and its reset script, keyed by the SHA1 of the text the library sends.
// A different text has a different SHA and is refused.
const scripts = new Map<string, Script>([
  [
    "74740bb3d7792848093cdef586b6b6037c455fd6",
    (db, [currentKey = "", previousKey = "", dynamicKey], [tokens, now, window, increment]) => {
      const limit = dynamicLimit(db, dynamicKey, Number(tokens));
      const incrementBy = Number(increment);
      const windowMs = Number(window);
      const current = Number(db.get(currentKey) ?? 0);
      const previous = weightedPrevious(db, previousKey, Number(now), windowMs);
      if (incrementBy > 0 && previous + current >= limit) return [-1, limit];
      const next = db.incrBy(currentKey, incrementBy);
      if (next === incrementBy) db.pexpire(currentKey, windowMs * 2 + 1000);
      return [luaInteger(limit - (next + previous)), limit];
    },
  ],
  [
    "7ca36169e0fc9caedd81b4eef8e99854c157f9b5",
    (db, [currentKey = "", previousKey = "", dynamicKey], [tokens, now, window]) => {
      const limit = dynamicLimit(db, dynamicKey, Number(tokens));
      const current = Number(db.get(currentKey) ?? 0);
      const previous = weightedPrevious(db, previousKey, Number(now), Number(window));
      return [luaInteger(limit - (previous + current)), limit];
    },
  ],
  [
    "54bd274ddc59fb3be0f42deee2f64322a10e2b50",
    (db, [pattern = ""]) => {
      db.deleteMatching(pattern);
      return null;
    },
  ],
]);

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, "s");
}

export type MemoryRatelimitRedis = RatelimitRedis & { size(): number };

/**
 * The embedded-mode backend: one process, no Redis. Same interface as the ioredis
 * adapter; expired keys are dropped when read and swept every `sweepEvery` writes.
 */
export function createMemoryRatelimitRedis(
  clock: Clock,
  options: { sweepEvery?: number } = {},
): MemoryRatelimitRedis {
  const entries = new Map<string, Entry>();
  const sweepEvery = options.sweepEvery ?? 10_000;
  let writes = 0;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAtMs != null && entry.expiresAtMs <= clock.now().getTime()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = (): void => {
    if (++writes % sweepEvery !== 0) return;
    const now = clock.now().getTime();
    for (const [key, entry] of entries) {
      if (entry.expiresAtMs != null && entry.expiresAtMs <= now) entries.delete(key);
    }
  };
  const keyspace: Keyspace = {
    get: (key) => live(key)?.value ?? null,
    incrBy(key, by) {
      const entry = live(key);
      const next = Number(entry?.value ?? 0) + by;
      entries.set(key, { value: String(next), expiresAtMs: entry?.expiresAtMs ?? null });
      sweep();
      return next;
    },
    pexpire(key, ms) {
      const entry = live(key);
      if (entry) entry.expiresAtMs = clock.now().getTime() + ms;
    },
    deleteMatching(pattern) {
      const matcher = globToRegExp(pattern);
      for (const key of [...entries.keys()]) if (matcher.test(key)) entries.delete(key);
    },
  };

  const evalsha = (sha: string, keys: string[], args: unknown[]): Promise<unknown> => {
    const script = scripts.get(sha);
    if (script === undefined) return Promise.reject(new UnknownScriptError(sha));
    return Promise.resolve(script(keyspace, keys, args.map(toRedisArg)));
  };

  return {
    evalsha,
    eval: (script, keys, args) => evalsha(sha1Hex(script), keys, args),
    get: (key) => Promise.resolve(keyspace.get(key)),
    set(key, value) {
      entries.set(key, { value: toRedisArg(value), expiresAtMs: null });
      sweep();
      return Promise.resolve("OK");
    },
    size: () => entries.size,
  };
}
