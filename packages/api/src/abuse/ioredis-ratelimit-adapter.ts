import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { RatelimitRedis } from "./ratelimit-redis";
import { toRedisArg } from "./ratelimit-redis";

export function sha1Hex(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

// Redis 7.0 rejects the `allow-key-locking` shebang flag the library's scripts start
// with; the scripts need no flag, so the whole first line goes.
export function stripLuaShebang(script: string): string {
  return script.startsWith("#!lua") ? script.slice(script.indexOf("\n") + 1) : script;
}

/**
 * @upstash/ratelimit over a real Redis through ioredis. The library names scripts by
 * the SHA1 of their original text; Redis knows them by the SHA1 of the stripped text.
 * An unknown library SHA answers NOSCRIPT, so the library sends the text once, which
 * registers the mapping; after that every call is an EVALSHA of the stripped script.
 */
export function createIoRedisRatelimitAdapter(redis: Redis): RatelimitRedis {
  const strippedByLibrarySha = new Map<string, { sha: string; script: string }>();

  async function run(
    entry: { sha: string; script: string },
    keys: string[],
    args: unknown[],
  ): Promise<unknown> {
    const argv = args.map(toRedisArg);
    try {
      return await redis.evalsha(entry.sha, keys.length, ...keys, ...argv);
    } catch (error) {
      if (!String(error).includes("NOSCRIPT")) throw error;
      // Redis restarted or flushed its script cache: EVAL loads it again.
      return await redis.eval(entry.script, keys.length, ...keys, ...argv);
    }
  }

  return {
    async eval(script, keys, args) {
      const librarySha = sha1Hex(script);
      let entry = strippedByLibrarySha.get(librarySha);
      if (entry === undefined) {
        const stripped = stripLuaShebang(script);
        entry = { sha: sha1Hex(stripped), script: stripped };
        strippedByLibrarySha.set(librarySha, entry);
      }
      return run(entry, keys, args);
    },
    async evalsha(sha1, keys, args) {
      const entry = strippedByLibrarySha.get(sha1);
      if (entry === undefined) throw new Error(`NOSCRIPT adapter has not seen script ${sha1}`);
      return run(entry, keys, args);
    },
    async get(key) {
      return redis.get(key);
    },
    async set(key, value) {
      return redis.set(key, toRedisArg(value));
    },
  };
}
