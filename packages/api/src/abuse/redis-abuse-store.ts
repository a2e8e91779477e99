import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { AbuseStore, LogSummary } from "./abuse-store";

type Script = { text: string; sha: string };

function script(text: string): Script {
  return { text, sha: createHash("sha1").update(text).digest("hex") };
}

// Each script is one atomic step, so concurrent processes cannot both take the last
// slot or both miss the failure that crosses a threshold.
const logAppend = script(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
return {redis.call('ZCARD', KEYS[1]), newest[2]}
`);
const logRead = script(`
local count = redis.call('ZCOUNT', KEYS[1], ARGV[1], '+inf')
if count == 0 then return {0, false} end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
return {count, newest[2]}
`);
// KEYS: the logs; ARGV: member, at, since, ttl, base, max, then each log's free count.
// The delay is backoff-delay.ts's formula (the memory store runs that file itself).
const logReserve = script(`
local at = tonumber(ARGV[2])
local since = tonumber(ARGV[3])
local base = tonumber(ARGV[5])
local max = tonumber(ARGV[6])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[3])
  local count = redis.call('ZCOUNT', key, since, '+inf')
  local free = tonumber(ARGV[6 + i])
  if count > free then
    local newest = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2])
    local delay = math.min(base * 2 ^ math.min(count - free - 1, 52), max)
    wait = math.max(wait, newest + delay - at)
  end
end
if wait > 0 then return {0, tostring(wait)} end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, ARGV[2], ARGV[1])
  redis.call('PEXPIRE', key, ARGV[4])
end
return {1, '0'}
`);
const slotAcquire = script(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
local held = redis.call('ZCARD', KEYS[1])
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  if held >= tonumber(ARGV[4]) then return {0, held} end
  held = held + 1
end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {1, held}
`);
const slotRenew = script(`
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`);

function summary(reply: unknown): LogSummary {
  const [count, newest] = reply as [number, string | null];
  return { count, newestMs: newest === null ? null : Number(newest) };
}

export function createRedisAbuseStore(redis: Redis): AbuseStore {
  async function run(s: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String(error).includes("NOSCRIPT")) throw error;
      return await redis.eval(s.text, keys.length, ...keys, ...args);
    }
  }
  return {
    async logAppend(key, member, atMs, sinceMs, ttlMs) {
      return summary(await run(logAppend, [key], [member, atMs, sinceMs, Math.ceil(ttlMs)]));
    },
    async logRead(key, sinceMs) {
      return summary(await run(logRead, [key], [sinceMs]));
    },
    async logReserve(logs, member, atMs, sinceMs, ttlMs, curve) {
      if (logs.length === 0) return { reserved: true };
      const [reserved, wait] = (await run(
        logReserve,
        logs.map((log) => log.key),
        [
          member,
          atMs,
          sinceMs,
          Math.ceil(ttlMs),
          curve.baseMs,
          curve.maxMs,
          ...logs.map((log) => log.free),
        ],
      )) as [number, string];
      return reserved === 1 ? { reserved: true } : { reserved: false, waitMs: Number(wait) };
    },
    async logRemove(keys, member) {
      if (keys.length > 0) await Promise.all(keys.map((key) => redis.zrem(key, member)));
    },
    async slotAcquire(key, holder, nowMs, leaseUntilMs, max, ttlMs) {
      const [acquired, held] = (await run(
        slotAcquire,
        [key],
        [holder, nowMs, leaseUntilMs, max, Math.ceil(ttlMs)],
      )) as [number, number];
      return { acquired: acquired === 1, held };
    },
    async slotRenew(key, holder, leaseUntilMs, ttlMs) {
      return (await run(slotRenew, [key], [holder, leaseUntilMs, Math.ceil(ttlMs)])) === 1;
    },
    async slotRelease(key, holder) {
      await redis.zrem(key, holder);
    },
    async get(key) {
      return redis.get(key);
    },
    async set(key, value, ttlMs) {
      await redis.set(key, value, "PX", Math.max(1, Math.ceil(ttlMs)));
    },
    async delete(keys) {
      if (keys.length > 0) await redis.del(...keys);
    },
  };
}
