import type { Ratelimit } from "@upstash/ratelimit";

/**
 * What `@upstash/ratelimit` 2.2 calls on its `redis` option with our configuration
 * (single region, no analytics, no deny list, no dynamic limits): `evalsha`, then
 * `eval` when evalsha fails with NOSCRIPT. `get`/`set` are in its declared type (for
 * dynamic limits) and are implemented for completeness. Keys and args arrive as
 * arrays, the @upstash/redis calling convention, not ioredis's numkeys form.
 */
export type RatelimitRedis = {
  eval(script: string, keys: string[], args: unknown[]): Promise<unknown>;
  evalsha(sha1: string, keys: string[], args: unknown[]): Promise<unknown>;
  get(key: string): Promise<string | null>;
  set(key: string, value: unknown): Promise<"OK">;
};

/** The library's declared parameter type (an @upstash/redis client subset). */
export type LibraryRedis = ConstructorParameters<typeof Ratelimit>[0]["redis"];

// The library declares @upstash/redis's generic signatures; ours are the runtime subset
// it calls, so the one cast lives here.
export function asLibraryRedis(redis: RatelimitRedis): LibraryRedis {
  return redis as unknown as LibraryRedis;
}

/** Script arguments as Redis receives them: numbers as decimal strings, null as "". */
export function toRedisArg(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return value.toString();
  throw new TypeError(`unsupported script argument type: ${typeof value}`);
}
