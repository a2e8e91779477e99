import { chownSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { spawnWsServer } from "./spawn-ws-server";
import { createTempTlsFiles } from "./temp-tls-files";

const tls = createTempTlsFiles();
afterAll(() => {
  tls.remove();
});

// A production start refuses root before it reads any configuration; to reach the
// configuration checks these tests run the server as nobody, as a service user would.
const NOBODY = 65534;
const asServiceUser = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
function serviceOwned(file: string): string {
  if (process.getuid?.() === 0) chownSync(file, NOBODY, NOBODY);
  return file;
}
for (const file of [tls.dir, tls.certFile, tls.keyFile]) serviceOwned(file);

const STRONG = {
  INVITE_CODE_PEPPER: "Hq3Zt8Lw1Vb6Nc9Xr2Pk5Js0Mf4Gd7Ya",
  API_KEY_PEPPER: "q7Vd0Lr2XmZ9pKc4Tb8wYh1Ns6Jf3Ge5Ua",
  REFRESH_TOKEN_PEPPER: "Rk2Wn7Qc0Ts5Vx8Zb3Hm6Lp1Dg4Fj9Ya",
  LOG_HMAC_KEY: "Wm4xQ0nB7rT2cY9kL5sD8fH1jP3gV6zA",
  JWT_KEYRING: '{"active":"k1","keys":[{"kid":"k1","k":"Ab3Cd5Ef7Gh9Ij1Kl3Mn5Op7Qr9St1Uv"}]}',
};

function productionEnv(): Record<string, string> {
  return {
    NODE_ENV: "production",
    DATABASE_URL: "postgresql://app:Db-Pa55word-Zx9@db.invalid:5432/conclave?sslmode=verify-full",
    REDIS_URL: "rediss://:Redis-Pa55word-Qw7@redis.invalid:6380",
    PUBLIC_WS_ORIGIN: "https://ws.conclave.invalid",
    TLS_CERT_FILE: tls.certFile,
    TLS_KEY_FILE: tls.keyFile,
    ...STRONG,
  };
}

async function refusal(env: Record<string, string>) {
  const server = spawnWsServer(env, asServiceUser);
  const code = await server.exited;
  return { code, stdout: server.stdout(), stderr: server.stderr() };
}

describe("ws-server production start", () => {
  it("refuses a missing secret, naming it", async () => {
    const env = productionEnv();
    delete env.API_KEY_PEPPER;
    const { code, stdout, stderr } = await refusal(env);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain("API_KEY_PEPPER");
    for (const value of Object.values(STRONG)) {
      expect(stdout + stderr).not.toContain(value);
    }
    expect(stdout + stderr).not.toContain("Db-Pa55word-Zx9");
  });

  it("refuses a development secret without printing it", async () => {
    const devSecret = "conclave-dev-Uq8Wd1Jr5Xm0Kc3Tb7Yh2Ns4Lf9Ge6Pa";
    const { code, stdout, stderr } = await refusal({
      ...productionEnv(),
      REFRESH_TOKEN_PEPPER: devSecret,
    });
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain("REFRESH_TOKEN_PEPPER");
    expect(stdout + stderr).not.toContain(devSecret);
    expect(stdout + stderr).not.toContain(devSecret.slice("conclave-dev-".length));
  });

  it("refuses a secret file readable by others without printing its content", async () => {
    const env = productionEnv();
    delete env.LOG_HMAC_KEY;
    env.LOG_HMAC_KEY_FILE = serviceOwned(tls.write("log-hmac-key", STRONG.LOG_HMAC_KEY, 0o644));
    const { code, stdout, stderr } = await refusal(env);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toContain("LOG_HMAC_KEY_FILE");
    expect(stdout + stderr).not.toContain(STRONG.LOG_HMAC_KEY);
  });
});
