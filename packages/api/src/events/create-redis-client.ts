import { readFileSync } from "node:fs";
import { Redis, type RedisOptions } from "ioredis";

/** Where a process's Redis is: REDIS_URL, and REDIS_CA_FILE for a private CA. */
export type RedisTarget = { readonly url: string; readonly caFile?: string | undefined };

/**
 * Every Redis connection of a process is made here, so a rediss:// URL verifies the
 * server against the configured CA everywhere (ioredis alone would use the system CAs).
 */
export function createRedisClient(target: RedisTarget, options: RedisOptions): Redis {
  if (target.caFile === undefined) return new Redis(target.url, options);
  return new Redis(target.url, { ...options, tls: { ca: readFileSync(target.caFile, "utf8") } });
}
