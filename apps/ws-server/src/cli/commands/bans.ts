import { randomUUID } from "node:crypto";
import { abuseEnvConfig } from "@conclave/api/abuse/abuse-env-config";
import type { BanRecord } from "@conclave/api/abuse/ban-service";
import { canonicalIp } from "@conclave/api/abuse/ip-address";
import { createProcessAbuseProtection } from "@conclave/api/abuse/create-process-abuse-protection";
import { systemClock } from "@conclave/api/clock/clock";
import { NotFoundError } from "@conclave/api/errors/not-found-error";
import { loadConfig } from "@conclave/config/load-config";
import { redisConfig } from "@conclave/config/redis-config";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import { createLogger } from "@conclave/logger/create-logger";

export interface BansCommandOptions {
  readonly prisma: PrismaClient;
  /** `list`, or `lift <ip>`. */
  readonly args: readonly string[];
  readonly operator: string;
  readonly print: (line: string) => void;
  readonly printError: (line: string) => void;
}

function describeBan(ban: BanRecord): string {
  return [
    ban.ip,
    `until ${ban.expiresAt.toISOString()}`,
    `strike ${String(ban.strikes)}`,
    ban.reason,
  ].join("  ");
}

/**
 * `bans list` prints the active IP bans; `bans lift <ip>` lifts them, with the same
 * audit row and security event as the console. The running servers admit the address
 * at once: with Redis (REDIS_URL, ABUSE_REDIS_KEY_PREFIX) the lift clears the shared
 * cache; without it, the lift's NOTIFY (sent as it commits) makes each server drop
 * the address from its own cache, and each resyncs with the database every 5 s anyway.
 */
export async function bansCommand(options: BansCommandOptions): Promise<number> {
  const config = loadConfig({ redis: redisConfig, abuse: abuseEnvConfig });
  const protection = await createProcessAbuseProtection({
    redisUrl: config.redis.url,
    redisCaFile: config.redis.caFile,
    prisma: options.prisma,
    clock: systemClock,
    logger: createLogger({ name: "conclave-cli", level: "warn", destination: process.stderr }),
    overrides: config.abuse.overrides,
    connectTimeoutMs: 2_000,
  });
  const { abuse } = protection;
  try {
    const [verb, target, ...rest] = options.args;
    if (verb === "list" && target === undefined) {
      const bans = await abuse.bans.listBans({ activeOnly: true, limit: 500 });
      for (const ban of bans) options.print(describeBan(ban));
      if (bans.length === 0) options.print("no active bans");
      return 0;
    }
    if (verb !== "lift" || target === undefined || rest.length > 0) {
      options.printError("usage: npm run conclave -- bans list | bans lift <ip>");
      return 2;
    }
    const ip = canonicalIp(target);
    if (ip === null) {
      options.printError("bans lift: not an IP address");
      return 2;
    }
    const meta = { ip: null, userAgent: "conclave-cli", requestId: randomUUID() };
    try {
      const lifted = await abuse.bans.liftBan(
        { actorType: "SYSTEM", actorId: `cli:${options.operator}` },
        ip,
        meta,
      );
      for (const ban of lifted) options.print(`lifted ${describeBan(ban)}`);
      return 0;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      options.printError(`bans lift: no active ban for ${ip}`);
      return 1;
    }
  } finally {
    await protection.close();
  }
}
