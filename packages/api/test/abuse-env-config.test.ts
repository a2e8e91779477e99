import { describe, expect, it } from "vitest";
import { ConfigError } from "@conclave/config/config-error";
import { loadConfig } from "@conclave/config/load-config";
import { abuseEnvConfig } from "../src/abuse/abuse-env-config";

const load = (env: Record<string, string>) =>
  loadConfig({ abuse: abuseEnvConfig }, { NODE_ENV: "test", ...env }).abuse;

const minute = 60_000;

describe("abuse settings from the environment", () => {
  it("changes nothing when no variable is set", () => {
    const { overrides, trustedProxies } = load({});
    expect(overrides).toEqual({ limits: {}, connections: {}, authFailures: {} });
    expect(trustedProxies.size).toBe(0);
  });

  it("maps every variable onto the limit it names", () => {
    const { overrides, trustedProxies } = load({
      TRUSTED_PROXIES: "127.0.0.1/32, ::1",
      RATE_LIMIT_PUBLIC_PER_MINUTE: "7",
      RATE_LIMIT_GUARDIAN_PER_MINUTE: "50",
      RATE_LIMIT_ADMIN_READS_PER_MINUTE: "200",
      RATE_LIMIT_ADMIN_WRITES_PER_MINUTE: "20",
      RATE_LIMIT_SIGNING_ATTEMPTS_PER_10_MINUTES: "12",
      WS_MAX_CONNECTIONS_PER_GUARDIAN: "2",
      WS_MAX_CONNECTIONS_PER_IP: "9",
      AUTH_BAN_THRESHOLD: "8",
      AUTH_BAN_WINDOW_MINUTES: "5",
      ABUSE_REDIS_KEY_PREFIX: "tenant-a:abuse",
      ABUSE_REDIS_TIMEOUT_MS: "2500",
    });
    const publicLimit = { max: 7, windowMs: minute };
    expect(overrides).toEqual({
      keyPrefix: "tenant-a:abuse",
      backendTimeoutMs: 2500,
      limits: {
        join: publicLimit,
        login: publicLimit,
        challenge: publicLimit,
        joinChallenge: publicLimit,
        refresh: publicLimit,
        invitationRedeem: publicLimit,
        guardianCall: { max: 50, windowMs: minute },
        adminRead: { max: 200, windowMs: minute },
        adminWrite: { max: 20, windowMs: minute },
        signingAttempt: { max: 12, windowMs: 10 * minute },
      },
      connections: { perGuardian: 2, perIp: 9 },
      authFailures: { banThreshold: 8, banWindowMs: 5 * minute },
    });
    expect(trustedProxies.contains("127.0.0.1")).toBe(true);
    expect(trustedProxies.contains("::1")).toBe(true);
    expect(trustedProxies.contains("10.0.0.1")).toBe(false);
  });

  it("refuses bad values, naming the variable", () => {
    for (const [variable, value] of [
      ["RATE_LIMIT_PUBLIC_PER_MINUTE", "0"],
      ["WS_MAX_CONNECTIONS_PER_GUARDIAN", "three"],
      ["TRUSTED_PROXIES", "10.0.0.0/99"],
      ["ABUSE_REDIS_KEY_PREFIX", "has space"],
      ["ABUSE_REDIS_TIMEOUT_MS", "5"],
    ] as const) {
      const error = (() => {
        try {
          load({ [variable]: value });
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error, variable).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((problem) => problem.variable)).toEqual([
        variable,
      ]);
    }
  });
});
