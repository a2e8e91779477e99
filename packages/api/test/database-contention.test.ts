import pg from "pg";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import { createApiContext } from "../src/context/create-api-context";
import { consoleRoot } from "../src/routers/console-root";
import { createCallerFactory } from "../src/trpc";
import { createUser, meta, userSession } from "./support/fixtures";
import { createTestApi, type TestApi } from "./support/test-api";

// writeAudit's lock: every audited change queues behind it.
const auditChainLockKey = 0x61756474;
const transactionTimeoutMs = 300;

// Under load a transaction can run out of time queuing behind the audit-chain lock.
// That is contention, not a fault: the caller is told to retry, and nothing is written.
describe("database contention", () => {
  let api: TestApi;
  let prisma: PrismaClient;
  let holder: pg.Client;

  beforeAll(async () => {
    api = await createTestApi();
    prisma = createPrismaClient({
      url: api.database.appUrl,
      max: 2,
      transactionOptions: { timeout: transactionTimeoutMs },
    });
    holder = new pg.Client({ connectionString: api.database.ownerUrl });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await prisma.$disconnect();
    await api.close();
  });

  it("answers SERVICE_UNAVAILABLE when a transaction runs out of time, writes nothing, and a retry succeeds", async () => {
    const user = await createUser(api, "ADMIN");
    const { accessToken } = await userSession(api, user.id, "ADMIN");
    const caller = createCallerFactory(consoleRoot)(
      createApiContext(
        { ...api.deps, prisma },
        {
          ...meta(),
          frontDoor: "console",
          transport: "https",
          credentials: { kind: "bearer", token: accessToken },
        },
      ),
    );
    const input = {
      name: "Busy",
      chain: "bitcoin" as const,
      network: "testnet" as const,
      threshold: 2,
      guardianCount: 3,
    };
    const auditRows = await api.prisma.auditEvent.count();

    await holder.query("BEGIN");
    await holder.query("SELECT pg_advisory_xact_lock($1)", [auditChainLockKey]);
    const startedAt = Date.now();
    const call = caller.admin.vaults.create(input).catch((error: unknown) => error);
    // Released only once the call waits behind the lock and its deadline has passed.
    await vi.waitFor(
      async () => {
        const { rows } = await holder.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_locks
            WHERE locktype = 'advisory' AND NOT granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        expect(rows[0]?.waiting).toBe(1);
        expect(Date.now() - startedAt).toBeGreaterThan(2 * transactionTimeoutMs);
      },
      { timeout: 10_000, interval: 50 },
    );
    await holder.query("COMMIT");

    const error = await call;
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("SERVICE_UNAVAILABLE");
    expect((error as TRPCError).message).toBe("The server is busy; try again shortly");
    expect(await api.prisma.vault.count({ where: { name: "Busy" } })).toBe(0);
    expect(await api.prisma.auditEvent.count()).toBe(auditRows);
    // Counted for the operators (conclave_db_transaction_failures_total{kind="timeout"}).
    const failures = await api.deps.metrics.databaseTransactionFailures.get();
    expect(failures.values.find((sample) => sample.labels.kind === "timeout")?.value).toBe(1);

    // Retried as the SDK does: on a loaded machine the retry itself may run out of its
    // 300 ms and be answered SERVICE_UNAVAILABLE again; any other outcome is a failure.
    const retried = await retryWhileBusy(() => caller.admin.vaults.create(input));
    expect(retried).toMatchObject({ name: "Busy" });
    expect(await api.prisma.vault.count({ where: { name: "Busy" } })).toBe(1);
  });
});

async function retryWhileBusy<T>(call: () => Promise<T>, attempts = 10): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const busy = error instanceof TRPCError && error.code === "SERVICE_UNAVAILABLE";
      if (!busy || attempt >= attempts) throw error;
    }
  }
}
