import { isAbsolute } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config-error";
import type { Env } from "../src/config-fragment";
import { databaseConfig } from "../src/database-config";
import { webHttpConfig, wsServerHttpConfig } from "../src/http-server-config";
import { loadConfig } from "../src/load-config";
import { redisConfig } from "../src/redis-config";
import { runtimeConfig } from "../src/runtime-config";
import { secretsConfig } from "../src/secrets-config";
import { tlsConfig } from "../src/tls-config";
import { createTempFiles, type TempFiles } from "./temp-files";

const fragments = {
  runtime: runtimeConfig,
  database: databaseConfig,
  redis: redisConfig,
  tls: tlsConfig,
  http: wsServerHttpConfig,
  web: webHttpConfig,
  secrets: secretsConfig(["API_KEY_PEPPER", "LOG_HMAC_KEY", "JWT_KEYRING"]),
};

const STRONG = {
  API_KEY_PEPPER: "q7Vd0Lr2XmZ9pKc4Tb8wYh1Ns6Jf3Ge5Ua",
  LOG_HMAC_KEY: "Wm4xQ0nB7rT2cY9kL5sD8fH1jP3gV6zA",
  JWT_KEYRING: '{"active":"k1","keys":[{"kid":"k1","k":"Wm4xQ0nB7rT2cY9kL5sD8fH1jP3gV6zA"}]}',
};
const DB_PASSWORD = "db-password-Xy7";
const REDIS_PASSWORD = "Redis-Pa55word-Qw7Zx";

function loadError(env: Env): ConfigError {
  try {
    loadConfig(fragments, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

function variables(error: ConfigError): string[] {
  return error.problems.map((problem) => problem.variable);
}

describe("loadConfig", () => {
  let files: TempFiles;
  let tlsEnv: Env;
  beforeEach(() => {
    files = createTempFiles();
    tlsEnv = {
      TLS_CERT_FILE: files.write("cert.pem", "-----BEGIN CERTIFICATE-----\n", 0o644),
      TLS_KEY_FILE: files.write("key.pem", "-----BEGIN PRIVATE KEY-----\n", 0o600),
    };
  });
  afterEach(() => {
    files.remove();
  });

  function productionEnv(): Record<string, string | undefined> {
    return {
      NODE_ENV: "production",
      DATABASE_URL: `postgresql://app:${DB_PASSWORD}@db.internal:5432/conclave?sslmode=verify-full`,
      REDIS_URL: `rediss://:${REDIS_PASSWORD}@redis.internal:6380`,
      PUBLIC_WS_ORIGIN: "https://ws.conclave.example",
      PUBLIC_WEB_ORIGIN: "https://conclave.example",
      ...tlsEnv,
      ...STRONG,
    };
  }

  function developmentEnv(): Record<string, string | undefined> {
    return {
      NODE_ENV: "development",
      DATABASE_URL: `postgresql://app:${DB_PASSWORD}@127.0.0.1:5432/conclave`,
      ...tlsEnv,
      API_KEY_PEPPER: "conclave-dev-short",
      LOG_HMAC_KEY: "conclave-dev-aaaa",
      JWT_KEYRING: '{"kid":"conclave-dev-1"}',
    };
  }

  it("gives development defaults for hosts, ports, origins, log level and home", () => {
    const config = loadConfig(fragments, developmentEnv());
    expect(config.http).toEqual({
      host: "127.0.0.1",
      port: 8443,
      httpPort: 8080,
      publicOrigin: "https://localhost:8443",
    });
    expect(config.web).toEqual({
      host: "127.0.0.1",
      port: 3443,
      httpPort: 3080,
      publicOrigin: "https://localhost:3443",
    });
    expect(config.runtime.logLevel).toBe("info");
    expect(config.runtime.isProduction).toBe(false);
    expect(isAbsolute(config.runtime.home)).toBe(true);
    expect(config.runtime.home.endsWith(".conclave")).toBe(true);
    expect(config.redis.url).toBeUndefined();
    expect(config.secrets.API_KEY_PEPPER).toBe("conclave-dev-short");
  });

  it("treats an unset NODE_ENV as development", () => {
    const env = developmentEnv();
    delete env.NODE_ENV;
    expect(loadConfig(fragments, env).runtime.nodeEnv).toBe("development");
  });

  it("returns a deeply frozen config", () => {
    const config = loadConfig(fragments, productionEnv());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.secrets)).toBe(true);
  });

  it("accepts a complete production environment", () => {
    const config = loadConfig(fragments, productionEnv());
    expect(config.runtime.isProduction).toBe(true);
    expect(config.http.publicOrigin).toBe("https://ws.conclave.example");
    expect(config.redis.url).toBe(`rediss://:${REDIS_PASSWORD}@redis.internal:6380`);
    expect(config.database.migrationUrl).toBeUndefined();
  });

  it("lists every missing production value by name", () => {
    const error = loadError({ NODE_ENV: "production" });
    expect(variables(error).sort()).toEqual(
      [
        "API_KEY_PEPPER",
        "DATABASE_URL",
        "JWT_KEYRING",
        "LOG_HMAC_KEY",
        "PUBLIC_WEB_ORIGIN",
        "PUBLIC_WS_ORIGIN",
        "REDIS_URL",
        "TLS_CERT_FILE",
        "TLS_KEY_FILE",
      ].sort(),
    );
  });

  it("refuses development and weak secrets in production without printing them", () => {
    const env = {
      ...productionEnv(),
      API_KEY_PEPPER: "conclave-dev-q7Vd0Lr2XmZ9pKc4Tb8wYh1Ns6Jf3Ge5Ua",
      LOG_HMAC_KEY: "tooshort-Xy7",
      JWT_KEYRING: '{"kid":"conclave-dev-1","k":"q7Vd0Lr2XmZ9pKc4Tb8wYh1Ns6Jf3Ge5Ua"}',
    };
    const error = loadError(env);
    expect(variables(error).sort()).toEqual(["API_KEY_PEPPER", "JWT_KEYRING", "LOG_HMAC_KEY"]);
    for (const value of [env.API_KEY_PEPPER, env.LOG_HMAC_KEY, env.JWT_KEYRING]) {
      expect(error.message).not.toContain(value);
    }
  });

  it("reads secrets from owner-only files and refuses group-readable ones", () => {
    const env = productionEnv();
    delete env.API_KEY_PEPPER;
    delete env.LOG_HMAC_KEY;
    env.API_KEY_PEPPER_FILE = files.write("api", `${STRONG.API_KEY_PEPPER}\n`, 0o600);
    env.LOG_HMAC_KEY_FILE = files.write("log", STRONG.LOG_HMAC_KEY, 0o640);
    const error = loadError(env);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.variable).toBe("LOG_HMAC_KEY_FILE");
    expect(error.message).not.toContain(STRONG.LOG_HMAC_KEY);
  });

  it("requires TLS to PostgreSQL in production", () => {
    const plain = { ...productionEnv(), DATABASE_URL: `postgresql://app:${DB_PASSWORD}@db/c` };
    const plainError = loadError(plain);
    expect(variables(plainError)).toEqual(["DATABASE_URL"]);
    expect(plainError.message).not.toContain(DB_PASSWORD);

    const unverified = { ...plain, DATABASE_URL: `${plain.DATABASE_URL}?sslmode=require` };
    expect(variables(loadError(unverified))).toEqual(["DATABASE_URL"]);

    const ca = files.write("ca.pem", "-----BEGIN CERTIFICATE-----\n", 0o644);
    const withCa = loadConfig(fragments, { ...plain, DATABASE_CA_FILE: ca });
    expect(withCa.database.caFile).toBe(ca);

    // sslmode in the URL would override the CA, so a weaker one is refused even with a CA.
    const overridden = { ...unverified, DATABASE_CA_FILE: ca };
    expect(variables(loadError(overridden))).toEqual(["DATABASE_URL"]);

    const migration = { ...productionEnv(), DATABASE_MIGRATION_URL: "postgresql://owner:pw@db/c" };
    expect(variables(loadError(migration))).toEqual(["DATABASE_MIGRATION_URL"]);
  });

  it("requires Redis to authenticate in production, and TLS unless it is on loopback", () => {
    const redis = (url: string) => variables(loadError({ ...productionEnv(), REDIS_URL: url }));
    expect(redis("rediss://redis.internal:6380")).toEqual(["REDIS_URL"]);
    expect(redis(`redis://:${REDIS_PASSWORD}@redis.internal:6379`)).toEqual(["REDIS_URL"]);
    expect(redis("redis://127.0.0.1:6379")).toEqual(["REDIS_URL"]);
    for (const accepted of [
      `rediss://conclave:${REDIS_PASSWORD}@redis.internal:6380`,
      `redis://:${REDIS_PASSWORD}@127.0.0.1:6379`,
      `redis://:${REDIS_PASSWORD}@localhost:6379`,
      `redis://:${REDIS_PASSWORD}@[::1]:6379`,
    ]) {
      expect(loadConfig(fragments, { ...productionEnv(), REDIS_URL: accepted }).redis.url).toBe(
        accepted,
      );
    }
    const error = loadError({ ...productionEnv(), REDIS_URL: `redis://:${REDIS_PASSWORD}@r:1` });
    expect(error.message).not.toContain(REDIS_PASSWORD);
  });

  it("takes REDIS_CA_FILE for a rediss:// URL only", () => {
    const caFile = files.write("redis-ca.pem", "-----BEGIN CERTIFICATE-----\n", 0o644);
    const config = loadConfig(fragments, { ...productionEnv(), REDIS_CA_FILE: caFile });
    expect(config.redis.caFile).toBe(caFile);
    const plaintext = {
      ...developmentEnv(),
      REDIS_URL: "redis://127.0.0.1:6379",
      REDIS_CA_FILE: caFile,
    };
    expect(variables(loadError(plaintext))).toEqual(["REDIS_CA_FILE"]);
  });

  it("reports malformed values by name without echoing them", () => {
    const env = {
      ...developmentEnv(),
      DATABASE_URL: `mysql://root:${DB_PASSWORD}@localhost/db`,
      WS_SERVER_PORT: "eighty-four-forty-three",
      WEB_HTTP_PORT: "70000",
      LOG_LEVEL: "chatty-level",
      PUBLIC_WS_ORIGIN: "http://plain.example/path",
      REDIS_URL: "memcached://cache-host-name",
    };
    const error = loadError(env);
    expect(variables(error).sort()).toEqual(
      [
        "DATABASE_URL",
        "LOG_LEVEL",
        "PUBLIC_WS_ORIGIN",
        "REDIS_URL",
        "WEB_HTTP_PORT",
        "WS_SERVER_PORT",
      ].sort(),
    );
    for (const value of [
      DB_PASSWORD,
      "eighty-four",
      "chatty-level",
      "plain.example",
      "cache-host",
    ]) {
      expect(error.message).not.toContain(value);
    }
  });

  it("refuses a TLS key readable by others and a missing certificate", () => {
    const env = {
      ...developmentEnv(),
      TLS_KEY_FILE: files.write("open-key.pem", "key", 0o644),
      TLS_CERT_FILE: "/nonexistent/cert.pem",
    };
    expect(variables(loadError(env)).sort()).toEqual(["TLS_CERT_FILE", "TLS_KEY_FILE"]);
  });

  it("refuses an unknown NODE_ENV and applies the production rules meanwhile", () => {
    const error = loadError({ ...developmentEnv(), NODE_ENV: "prod" });
    expect(variables(error)).toContain("NODE_ENV");
    expect(variables(error)).toContain("API_KEY_PEPPER");
  });

  it("treats empty strings as unset", () => {
    const config = loadConfig(fragments, {
      ...developmentEnv(),
      WS_SERVER_PORT: "",
      REDIS_URL: "",
    });
    expect(config.http.port).toBe(8443);
    expect(config.redis.url).toBeUndefined();
  });
});
