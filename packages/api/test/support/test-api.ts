import { deriveKeyEncryptionKey } from "@conclave/auth/field-cipher";
import { createKeyring } from "@conclave/auth/jwt-keyring";
import { createPrismaClient } from "@conclave/db/create-prisma-client";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase } from "@conclave/db/testing/create-test-database";
import type { TestDatabase } from "@conclave/db/testing/create-test-database";
import { createLogger } from "@conclave/logger/create-logger";
import { Registry } from "prom-client";
import { createAbuseConfig } from "../../src/abuse/abuse-config";
import type { AbuseConfigOverrides } from "../../src/abuse/abuse-config";
import { createAbuseProtection } from "../../src/abuse/create-abuse-protection";
import { createApiConfig } from "../../src/context/api-config";
import type { ApiDependencies } from "../../src/context/api-dependencies";
import { createFieldCipher } from "../../src/encryption/field-cipher-service";
import { createApiMetrics } from "../../src/metrics/create-api-metrics";
import { createInProcessGuardianEventBus } from "../../src/events/guardian-event-bus";
import { createInProcessSessionRevocationBus } from "../../src/events/session-revocation-bus";

export type TestClock = { now(): Date; set(at: Date): void; advance(ms: number): void };

export function createTestClock(start = new Date("2026-06-01T12:00:00.000Z")): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export type TestApi = {
  deps: ApiDependencies;
  clock: TestClock;
  database: TestDatabase;
  prisma: PrismaClient;
  close(): Promise<void>;
};

/** The KEK of every in-process test API (field encryption of TOTP secrets). */
export const TEST_DATA_ENCRYPTION_KEY = "test-data-encryption-key-0123456789abcdef";

// A migrated database reached through the restricted application role, the real
// services, and a clock the test moves.
// Abuse protection is in-memory (embedded mode), with the defaults unless overridden.
export type TestApiOptions = { abuse?: AbuseConfigOverrides };

export async function createTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const prisma = createPrismaClient({ url: database.appUrl, max: 8 });
  const clock = createTestClock();
  const logger = createLogger({ name: "api-test", level: "silent" });
  const deps: ApiDependencies = {
    prisma,
    logger,
    clock,
    keyring: await createKeyring(clock.now()),
    peppers: {
      inviteCode: "test-invite-pepper-0123456789abcdef0123456789",
      apiKey: "test-api-key-pepper-0123456789abcdef0123456789",
      refreshToken: "test-refresh-pepper-0123456789abcdef012345678",
    },
    config: createApiConfig({
      issuer: "https://conclave.test",
      audiences: { console: "conclave-console", guardian: "conclave-guardian" },
      guardianOrigin: "https://localhost:8443",
    }),
    sessionEvents: createInProcessSessionRevocationBus(),
    guardianEvents: createInProcessGuardianEventBus(),
    abuse: createAbuseProtection({
      config: createAbuseConfig(options.abuse ?? {}),
      redis: null,
      prisma,
      clock,
      onEventError: (error, event) => {
        logger.error({ err: error, kind: event.kind }, "security event lost");
      },
    }),
    metrics: createApiMetrics(new Registry()),
    fields: createFieldCipher({
      prisma,
      kek: deriveKeyEncryptionKey(TEST_DATA_ENCRYPTION_KEY),
      clock,
      logger,
    }),
  };
  return {
    deps,
    clock,
    database,
    prisma,
    async close() {
      await deps.abuse.events.flush();
      await prisma.$disconnect();
      await database.drop();
    },
  };
}
