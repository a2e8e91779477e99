import { z } from "zod";
import type { ConfigFragment } from "@conclave/config/config-fragment";
import { parseEnv } from "@conclave/config/parse-env";
import type { AbuseConfigOverrides } from "./abuse-config";
import { parseTrustedProxies, type TrustedProxies } from "./client-ip";

export interface AbuseEnvConfig {
  /** What the environment changes from the defaults in abuse-config.ts. */
  readonly overrides: AbuseConfigOverrides;
  /** Proxies whose X-Forwarded-For is believed; empty: the socket peer is the client. */
  readonly trustedProxies: TrustedProxies;
}

const count = z.coerce
  .number({ error: "must be a whole number of at least 1" })
  .int("must be a whole number of at least 1")
  .min(1, "must be a whole number of at least 1")
  .max(1_000_000, "must be at most 1000000");

const minute = 60_000;

/**
 * The operator's knobs for abuse protection, shared by both front doors. Every one is
 * optional; unset keeps the default documented in the README.
 */
export const abuseEnvConfig: ConfigFragment<AbuseEnvConfig> = (context) => {
  const parsed = parseEnv(context, {
    TRUSTED_PROXIES: z.string().optional(),
    RATE_LIMIT_PUBLIC_PER_MINUTE: count.optional(),
    RATE_LIMIT_GUARDIAN_PER_MINUTE: count.optional(),
    RATE_LIMIT_ADMIN_READS_PER_MINUTE: count.optional(),
    RATE_LIMIT_ADMIN_WRITES_PER_MINUTE: count.optional(),
    RATE_LIMIT_SIGNING_ATTEMPTS_PER_10_MINUTES: count.optional(),
    WS_MAX_CONNECTIONS_PER_GUARDIAN: count.optional(),
    WS_MAX_CONNECTIONS_PER_IP: count.optional(),
    AUTH_BAN_THRESHOLD: count.optional(),
    AUTH_BAN_WINDOW_MINUTES: count.optional(),
    ABUSE_REDIS_TIMEOUT_MS: z.coerce
      .number({ error: "must be a whole number of milliseconds" })
      .int("must be a whole number of milliseconds")
      .min(100, "must be at least 100")
      .max(60_000, "must be at most 60000")
      .optional(),
    ABUSE_REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[\w:.-]{1,64}$/u, "must be 1-64 letters, digits, or _ : . -")
      .optional(),
  });
  if (parsed === undefined) return undefined;
  const cidrs = (parsed.TRUSTED_PROXIES ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  let trustedProxies: TrustedProxies;
  try {
    trustedProxies = parseTrustedProxies(cidrs);
  } catch {
    context.report("TRUSTED_PROXIES", "must list IP addresses or CIDRs, comma-separated");
    return undefined;
  }

  const perMinute = (max: number | undefined) =>
    max === undefined ? undefined : { max, windowMs: minute };
  const publicLimit = perMinute(parsed.RATE_LIMIT_PUBLIC_PER_MINUTE);
  const banWindow = parsed.AUTH_BAN_WINDOW_MINUTES;
  return {
    trustedProxies,
    overrides: setOnly({
      keyPrefix: parsed.ABUSE_REDIS_KEY_PREFIX,
      backendTimeoutMs: parsed.ABUSE_REDIS_TIMEOUT_MS,
      limits: setOnly({
        join: publicLimit,
        login: publicLimit,
        challenge: publicLimit,
        joinChallenge: publicLimit,
        refresh: publicLimit,
        invitationRedeem: publicLimit,
        guardianCall: perMinute(parsed.RATE_LIMIT_GUARDIAN_PER_MINUTE),
        adminRead: perMinute(parsed.RATE_LIMIT_ADMIN_READS_PER_MINUTE),
        adminWrite: perMinute(parsed.RATE_LIMIT_ADMIN_WRITES_PER_MINUTE),
        signingAttempt:
          parsed.RATE_LIMIT_SIGNING_ATTEMPTS_PER_10_MINUTES === undefined
            ? undefined
            : { max: parsed.RATE_LIMIT_SIGNING_ATTEMPTS_PER_10_MINUTES, windowMs: 10 * minute },
      }),
      connections: setOnly({
        perGuardian: parsed.WS_MAX_CONNECTIONS_PER_GUARDIAN,
        perIp: parsed.WS_MAX_CONNECTIONS_PER_IP,
      }),
      authFailures: setOnly({
        banThreshold: parsed.AUTH_BAN_THRESHOLD,
        banWindowMs: banWindow === undefined ? undefined : banWindow * minute,
      }),
    }),
  };
};

/** `fields` without the unset ones: an unset variable keeps the default. */
function setOnly<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
