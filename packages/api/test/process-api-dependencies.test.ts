import { randomUUID } from "node:crypto";
import {
  activeKey,
  createKeyring,
  rotateKeyring,
  serializeKeyring,
} from "@conclave/auth/jwt-keyring";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createProcessApiDependencies,
  type ProcessApiConfig,
} from "../src/context/create-process-api-dependencies";
import { capturingLogger } from "./support/capturing-logger";

/** Resolves once `condition` holds; the test's own timeout bounds the wait. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const openSockets = () =>
  process.getActiveResourcesInfo().filter((kind) => kind === "TCPSocketWrap").length;

describe("createProcessApiDependencies (the composition root of both apps)", () => {
  let database: TestDatabase;
  let jwtKeyring: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    jwtKeyring = serializeKeyring(await createKeyring(new Date()));
  });
  afterAll(async () => {
    await database.drop();
  });

  const configWith = (overrides: Partial<ProcessApiConfig> = {}): ProcessApiConfig => ({
    publicOrigin: "https://conclave.test:8443",
    database: { url: database.appUrl },
    redisUrl: undefined,
    jwtKeyring,
    peppers: {
      inviteCode: "test-invite-pepper-0123456789abcdef0123456789",
      apiKey: "test-api-key-pepper-0123456789abcdef0123456789",
      refreshToken: "test-refresh-pepper-0123456789abcdef012345678",
    },
    ...overrides,
  });

  it("closes what it had opened when a start fails half-way", async () => {
    const before = openSockets();
    // The buses connect to Redis, then Prisma cannot read its CA file.
    const start = createProcessApiDependencies(
      configWith({
        redisUrl: process.env.REDIS_URL,
        database: { url: database.appUrl, caFile: `/nonexistent/${randomUUID()}.pem` },
      }),
      { logger: capturingLogger().logger },
    );
    await expect(start).rejects.toThrow(/ENOENT/);
    // Left open, the buses' two Redis connections would keep this waiting until the timeout.
    await until(() => openSockets() <= before);
    expect(openSockets()).toBe(before);
  });

  it("gives both apps the same token audiences, reloads the keyring, and writes pending security events at close", async () => {
    const api = await createProcessApiDependencies(configWith(), {
      logger: capturingLogger().logger,
    });
    expect(api.bus).toBe("postgres");
    expect(api.deps.config).toMatchObject({
      issuer: "https://conclave.test:8443",
      guardianOrigin: "https://conclave.test:8443",
      audiences: { console: "conclave-console", guardian: "conclave-guardian" },
    });

    const rotated = await rotateKeyring(api.deps.keyring, new Date());
    const kid = await api.reloadKeyring(serializeKeyring(rotated));
    expect(kid).toBe(activeKey(rotated).kid);
    expect(activeKey(api.deps.keyring).kid).toBe(kid);
    await expect(api.reloadKeyring("{not a keyring")).rejects.toThrow();
    expect(activeKey(api.deps.keyring).kid).toBe(kid);

    const ip = "198.51.100.93";
    await api.deps.abuse.bans.ban({
      ip,
      reason: "test",
      meta: { ip, userAgent: null, requestId: randomUUID() },
    });
    await api.close();
    const reader = createPrismaClient({ url: database.appUrl });
    try {
      expect(await reader.securityEvent.count({ where: { kind: "ip.banned", ip } })).toBe(1);
    } finally {
      await reader.$disconnect();
    }
  });
});
