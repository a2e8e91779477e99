import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TRPCError } from "@trpc/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { RateLimitedError } from "../src/abuse/rate-limited-error";
import { createGuardianHttpHandler } from "../src/adapters/handle-guardian-http";
import { guardianRoot } from "../src/routers/guardian-root";
import { createCallerFactory } from "../src/trpc";
import type { AdminCaller } from "./support/coordination-harness";
import {
  createAdmin,
  guardianCaller,
  runKeygen,
  testnetDestination,
  vaultWithGuardians,
} from "./support/coordination-harness";
import { consoleRoot } from "../src/routers/console-root";
import {
  apiKey,
  context,
  createUser,
  createVault,
  joinNewGuardian,
  newIdentity,
} from "./support/fixtures";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

const guardianCallerOf = createCallerFactory(guardianRoot);

function anonymousGuardianCaller(api: TestApi, ip: string) {
  return guardianCallerOf(context(api, { frontDoor: "guardian", ip }));
}

type Refusal = { code: string; reason: unknown; retryAfterSeconds: number | null };

async function refusal(promise: Promise<unknown>): Promise<Refusal> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const cause = error.cause as { reason?: unknown } | undefined;
    return {
      code: error.code,
      reason: cause?.reason,
      retryAfterSeconds:
        error.cause instanceof RateLimitedError ? error.cause.retryAfterSeconds : null,
    };
  }
  throw new Error("expected the call to be refused");
}

describe("rate limits mounted in the procedures", () => {
  let api: TestApi;
  let server: Server;
  let base: string;
  const ip = "198.51.100.31";

  beforeAll(async () => {
    api = await createTestApi({
      abuse: { limits: { challenge: { max: 3 }, guardianCall: { max: 5 } } },
    });
    const handler = createGuardianHttpHandler({
      deps: api.deps,
      requestFacts: () => ({ ip, userAgent: null, requestId: randomUUID() }),
    });
    server = createServer((req, res) => {
      void handler(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    await api.close();
  });
  // The library reads Date.now for its windows: pin it inside one window.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-06-01T12:00:10.000Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers the 4th challenge from one address over HTTP with 429 and retryAfterSeconds", async () => {
    const body = JSON.stringify({ identityPublicKey: newIdentity().publicKeyHex });
    const post = () =>
      fetch(`${base}/trpc/auth.issueChallenge`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(200);
    const refused = await post();
    expect(refused.status).toBe(429);
    const payload = (await refused.json()) as {
      error: { data: { code: string; reason: string; retryAfterSeconds: number } };
    };
    expect(payload.error.data).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "rate_limited" });
    expect(payload.error.data.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(payload.error.data.retryAfterSeconds).toBeLessThanOrEqual(60);
    await api.deps.abuse.events.flush();
    expect(
      await api.prisma.securityEvent.count({ where: { kind: "rate_limit.exceeded", ip } }),
    ).toBe(1);
  });

  it("refuses the 6th authenticated call of a guardian with TOO_MANY_REQUESTS", async () => {
    const admin = await createUser(api, "ADMIN");
    const vault = await createVault(api, admin.id, "Limited");
    const guardian = await joinNewGuardian(api, admin.id, vault.id);
    const caller = guardianCaller(api, guardian.accessToken);
    for (let i = 0; i < 5; i++) expect(await caller.vaults.list()).toHaveLength(1);
    const refused = await refusal(caller.vaults.list());
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "rate_limited" });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Another guardian has its own budget.
    const other = await joinNewGuardian(api, admin.id, vault.id);
    expect(await guardianCaller(api, other.accessToken).vaults.list()).toHaveLength(1);
  });
});

describe("failed challenge logins: backoff, then an IP ban an admin lists and lifts", () => {
  let api: TestApi;
  let admin: { id: string; caller: AdminCaller };
  const ip = "198.51.100.44";

  beforeAll(async () => {
    api = await createTestApi({
      abuse: {
        limits: { login: { max: 1000 } },
        authFailures: { freeFailuresPerIdentifier: 2, freeFailuresPerIp: 100, banThreshold: 6 },
      },
    });
    admin = await createAdmin(api);
  });
  afterAll(async () => api.close());

  it("backs off, bans, shows the ban, lifts it with audit rows", async () => {
    const identityPublicKey = newIdentity().publicKeyHex;
    const caller = anonymousGuardianCaller(api, ip);
    const attempt = (key = identityPublicKey) =>
      refusal(
        caller.auth.login({
          challengeId: randomUUID(),
          identityPublicKey: key,
          signature: "00".repeat(64),
          deviceName: "laptop",
        }),
      );

    const seen: string[] = [];
    for (let i = 0; i < 40 && seen.at(-1) !== "banned"; i++) {
      const result = await attempt();
      if (result.code === "UNAUTHORIZED") {
        seen.push("failed");
      } else {
        expect(result.code).toBe("TOO_MANY_REQUESTS");
        expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        seen.push(String(result.reason));
        if (result.reason === "backoff") api.clock.advance((result.retryAfterSeconds ?? 0) * 1000);
      }
    }
    // A refusal while backing off counts toward the ban as a failure does: the 6th of
    // either bans the address.
    expect(seen).toEqual(["failed", "failed", "failed", "backoff", "failed", "banned"]);

    const bans = await admin.caller.admin.bans.list({});
    expect(bans).toHaveLength(1);
    expect(bans[0]).toMatchObject({ ip, strikes: 1, liftedAt: null });

    const lifted = await admin.caller.admin.bans.lift({ ip });
    expect(lifted.lifted.map((b) => b.ip)).toEqual([ip]);
    expect(lifted.lifted[0]?.liftedBy).toBe(`USER:${admin.id}`);
    expect(await admin.caller.admin.bans.list({})).toEqual([]);
    expect(await refusal(admin.caller.admin.bans.lift({ ip }))).toMatchObject({
      code: "NOT_FOUND",
    });

    // After the lift the address may try again (the identity key itself still backs off).
    expect((await attempt(newIdentity().publicKeyHex)).code).toBe("UNAUTHORIZED");
    expect((await attempt()).reason).toBe("backoff");

    const audit = await api.prisma.auditEvent.findMany({
      where: { targetType: "IP", targetId: ip },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((row) => [row.action, row.actorType, row.actorId])).toEqual([
      ["ban_create", "SYSTEM", null],
      ["ban_lift", "USER", admin.id],
    ]);
    await api.deps.abuse.events.flush();
    const kinds = await api.prisma.securityEvent.findMany({
      where: { kind: { in: ["ip.banned", "ip.ban_lifted"] } },
    });
    expect(kinds.map((e) => e.kind).sort()).toEqual(["ip.ban_lifted", "ip.banned"]);
  });

  it("backs off guessed API keys per key prefix and address; the right key clears it", async () => {
    const keyIp = "198.51.100.45";
    const { key } = await apiKey(api, admin.id, ["users:read"]);
    // Another symbol of the key's own alphabet: a well-formed key with a wrong secret.
    const secret = key.split("_").at(-1) ?? "";
    const other = secret.split("").find((c) => c !== key.at(-1)) ?? ""; // ASCII alphabet
    const wrong = key.slice(0, -1) + other;
    const callerWith = (token: string) =>
      createCallerFactory(consoleRoot)(
        context(api, { frontDoor: "console", ip: keyIp, credentials: { kind: "bearer", token } }),
      );
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await refusal(callerWith(wrong).admin.users.list()));
    expect(outcomes.map((o) => o.reason)).toEqual([
      expect.any(String),
      expect.any(String),
      expect.any(String),
      "backoff",
    ]);
    expect(outcomes.slice(0, 3).map((o) => o.code)).toEqual([
      "UNAUTHORIZED",
      "UNAUTHORIZED",
      "UNAUTHORIZED",
    ]);
    // The same prefix is refused even with the right secret until the delay has passed.
    expect((await refusal(callerWith(key).admin.users.list())).reason).toBe("backoff");
    api.clock.advance((outcomes[3]?.retryAfterSeconds ?? 0) * 1000);
    expect(Array.isArray(await callerWith(key).admin.users.list())).toBe(true);
  });

  it("refuses malformed ban input and keeps lifting to admins", async () => {
    expect(await refusal(admin.caller.admin.bans.lift({ ip: "not-an-ip" }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(
      await refusal(
        admin.caller.admin.bans.list({ activeOnly: true, extra: 1 } as unknown as {
          activeOnly: boolean;
        }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("a 3-of-5 ceremony with limits enforced", () => {
  let api: TestApi;
  let admin: { id: string; caller: AdminCaller };

  beforeAll(async () => {
    api = await createTestApi();
    admin = await createAdmin(api);
  });
  afterAll(async () => api.close());

  it(
    "completes with client retries without hitting a limit; signing attempts are capped per guardian",
    { timeout: 120_000 },
    async () => {
      const { vaultId, guardians } = await vaultWithGuardians(api, admin, 3, 5);
      await runKeygen(guardians);
      const created = await admin.caller.admin.transactions.create({
        vaultId,
        fields: {
          chain: "bitcoin",
          network: "testnet",
          destination: testnetDestination,
          amount: "125000",
          memo: "rent",
        },
      });
      const signers = guardians.slice(2);
      const commits = [];
      for (const g of signers) {
        const { input } = await g.approve(created.id, 1);
        // A client that lost the answer sends the same commitments again.
        await g.caller.signing.commit(input);
        commits.push(input);
      }
      for (const g of signers) await (await g.submitShare(created.id, 1)).call();
      const done = await admin.caller.admin.transactions.get({
        vaultId,
        transactionId: created.id,
      });
      expect(done.status).toBe("COMPLETED");
      await api.deps.abuse.events.flush();
      expect(
        await api.prisma.securityEvent.count({ where: { kind: { startsWith: "rate_limit." } } }),
      ).toBe(0);

      // The signer already made 3 signing calls on this transaction; the limit is 20.
      const [first] = signers;
      const input = commits[0];
      if (!first || !input) throw new Error("no signer");
      let calls = 3;
      let refused: Refusal | null = null;
      while (refused === null && calls < 40) {
        calls += 1;
        const result = await refusal(first.caller.signing.commit(input)).catch(() => null);
        if (result?.code === "TOO_MANY_REQUESTS") refused = result;
      }
      expect(calls).toBe(21);
      expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "rate_limited" });
    },
  );
});
