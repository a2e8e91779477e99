import { TRPCError } from "@trpc/server";
import { createLogger } from "@conclave/logger/create-logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPubSubGuardianEventBus } from "../src/events/pubsub-guardian-event-bus";
import { testRedisTls } from "../../../scripts/test-services/test-redis-tls";
import { createRedisPubSub } from "../src/events/redis-pubsub";
import { sweepDeadlines } from "../src/services/deadlines/sweep-deadlines";
import type { AdminCaller, TestGuardian } from "./support/coordination-harness";
import {
  createAdmin,
  guardianCaller,
  runKeygen,
  testnetDestination,
  vaultWithGuardians,
} from "./support/coordination-harness";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

type Tracked = [string, { id: string; type: string; payload: Record<string, unknown> }, symbol];

async function take(iterable: AsyncIterable<unknown>, count: number): Promise<Tracked[]> {
  const out: Tracked[] = [];
  if (count === 0) return out;
  for await (const item of iterable) {
    out.push(item as Tracked);
    if (out.length === count) break;
  }
  return out;
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError)
      return `${error.code}:${String((error.cause as { reason?: string } | undefined)?.reason)}`;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("coordination: events and deadlines", () => {
  let api: TestApi;
  let admin: { id: string; caller: AdminCaller };
  const minute = 60_000;

  beforeAll(async () => {
    api = await createTestApi();
    admin = await createAdmin(api);
  });
  afterAll(async () => api.close());

  const transactionFor = (vaultId: string) =>
    admin.caller.admin.transactions.create({
      vaultId,
      fields: {
        chain: "bitcoin",
        network: "testnet",
        destination: testnetDestination,
        amount: "1000",
        memo: "",
      },
    });

  it("events replay from lastEventId without gaps, then arrive live", async () => {
    const { vaultId, guardians } = await vaultWithGuardians(api, admin, 2, 2, "Events");
    await runKeygen(guardians);
    const g1 = guardians[0] as TestGuardian;
    const rows = await api.prisma.guardianEvent.findMany({
      where: { guardianId: g1.guardianId },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => r.type)).toEqual([
      "vault.member_joined",
      "vault.member_joined",
      "keygen.round_opened",
      "keygen.round_opened",
      "keygen.round_opened",
      "keygen.completed",
    ]);

    // A fresh caller stands in for a client reconnecting to a restarted server: it
    // has nothing but its last id, and everything comes back from the table.
    const all = await take(
      await guardianCaller(api, g1.accessToken).events.subscribe({}),
      rows.length,
    );
    expect(all.map(([id]) => id)).toEqual(rows.map((r) => r.id.toString()));
    expect(all[5]?.[1].payload["groupPublicKeyXOnly"]).toMatch(/^[0-9a-f]{64}$/);
    const resumeAfter = all[2]?.[0] ?? "";
    const rest = await take(
      await guardianCaller(api, g1.accessToken).events.subscribe({ lastEventId: resumeAfter }),
      rows.length - 3,
    );
    expect(rest.map(([id]) => id)).toEqual(rows.slice(3).map((r) => r.id.toString()));

    // Live: the subscription is waiting at the end of the log when the transaction is created.
    const controller = new AbortController();
    const live = take(
      await guardianCaller(api, g1.accessToken, controller.signal).events.subscribe({
        lastEventId: rows.at(-1)?.id.toString() ?? null,
      }),
      1,
    );
    const created = await transactionFor(vaultId);
    const [event] = await live;
    controller.abort();
    expect(event?.[1].type).toBe("signing.requested");
    expect(event?.[1].payload).toMatchObject({
      transactionId: created.id,
      attempt: 1,
      digest: created.digest,
    });
  });

  it("the Redis bus carries notices between instances, over TLS", async () => {
    const redis = testRedisTls();
    const logger = createLogger({ name: "bus-test", level: "silent" });
    const pubsubA = await createRedisPubSub({ redis, logger, label: "a" });
    const pubsubB = await createRedisPubSub({ redis, logger, label: "b" });
    try {
      const channel = "test:guardian-events";
      const instanceA = await createPubSubGuardianEventBus(pubsubA, { logger, channel });
      const instanceB = await createPubSubGuardianEventBus(pubsubB, { logger, channel });
      const guardianId = "0f6e4c1e-9d1b-4c55-8f1c-0a4f5b6c7d8e";
      const received = new Promise<bigint>((resolve) => {
        instanceB.subscribe(guardianId, resolve);
      });
      instanceA.publish([{ guardianId, eventId: 42n }]);
      expect(await received).toBe(42n);
    } finally {
      await pubsubA.close();
      await pubsubB.close();
    }
  });

  // Deadline tests move the clock, so each gets its own database and clock.
  async function isolated(): Promise<void> {
    await api.close();
    api = await createTestApi();
    admin = await createAdmin(api);
  }

  it("a signing round deadline passes: the sweeper marks the transaction EXPIRED", async () => {
    await isolated();
    const { vaultId, guardians } = await vaultWithGuardians(api, admin, 2, 3, "Round deadline");
    await runKeygen(guardians);
    const g1 = guardians[0] as TestGuardian;
    const created = await transactionFor(vaultId);
    await g1.approve(created.id, 1);

    api.clock.advance(9 * minute);
    expect(await sweepDeadlines(api.deps, api.clock.now())).toEqual({
      keygenRoundsExpired: 0,
      transactionsExpired: 0,
    });
    api.clock.advance(minute + 1);
    expect(await reason(guardians[1]?.approve(created.id, 1) ?? Promise.resolve())).toBe(
      "CONFLICT:round_deadline_passed",
    );
    expect(await sweepDeadlines(api.deps, api.clock.now())).toEqual({
      keygenRoundsExpired: 0,
      transactionsExpired: 1,
    });
    expect(await sweepDeadlines(api.deps, api.clock.now())).toEqual({
      keygenRoundsExpired: 0,
      transactionsExpired: 0,
    });
    const detail = await admin.caller.admin.transactions.get({
      vaultId,
      transactionId: created.id,
    });
    expect(detail.status).toBe("EXPIRED");
    expect(detail.failureReason).toBe("round_deadline");
    expect(detail.attempts[0]?.status).toBe("EXPIRED");
    const expiredEvents = await api.prisma.guardianEvent.count({
      where: { type: "transaction.expired", vaultId },
    });
    expect(expiredEvents).toBe(3);
    expect(await reason(guardians[2]?.approve(created.id, 1) ?? Promise.resolve())).toBe(
      "CONFLICT:transaction_closed",
    );
  });

  it("the 24 h transaction deadline expires a transaction whatever its round", async () => {
    await isolated();
    const { vaultId, guardians } = await vaultWithGuardians(api, admin, 2, 2, "Tx deadline");
    await runKeygen(guardians);
    const roundTtl = api.deps.config.signingRoundTtlMs;
    api.deps.config.signingRoundTtlMs = 48 * 60 * minute;
    try {
      const created = await transactionFor(vaultId);
      api.clock.advance(24 * 60 * minute - 1);
      expect((await sweepDeadlines(api.deps, api.clock.now())).transactionsExpired).toBe(0);
      api.clock.advance(2);
      expect((await sweepDeadlines(api.deps, api.clock.now())).transactionsExpired).toBe(1);
      admin = await createAdmin(api);
      const detail = await admin.caller.admin.transactions.get({
        vaultId,
        transactionId: created.id,
      });
      expect(detail.status).toBe("EXPIRED");
      expect(detail.failureReason).toBe("transaction_deadline");
    } finally {
      api.deps.config.signingRoundTtlMs = roundTtl;
    }
  });

  it("a keygen round deadline expires the ceremony and a fresh attempt completes", async () => {
    await isolated();
    const { vaultId, guardians } = await vaultWithGuardians(api, admin, 2, 2, "Keygen deadline");
    await (guardians[0] as TestGuardian).round1();
    api.clock.advance(10 * minute + 1);
    expect(await sweepDeadlines(api.deps, api.clock.now())).toEqual({
      keygenRoundsExpired: 1,
      transactionsExpired: 0,
    });
    admin = await createAdmin(api);
    const detail = await admin.caller.admin.vaults.detail({ vaultId });
    expect(detail.status).toBe("KEYGEN");
    expect(detail.keygen).toMatchObject({ attempt: 2, round: 1, status: "OPEN" });
    const expired = await api.prisma.dkgCeremony.findFirstOrThrow({
      where: { vaultId, attempt: 1 },
    });
    expect(expired.status).toBe("EXPIRED");
    await runKeygen(guardians);
    expect((await admin.caller.admin.vaults.detail({ vaultId })).status).toBe("ACTIVE");
  });
});
