import { randomUUID } from "node:crypto";
import { generateIdentityKey } from "@conclave/client/identity/identity-key";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openGuardianSocket,
  sendRaw,
  trpcErrorOf,
  trpcMutation,
  type GuardianSocketOutcome,
  type RawResponse,
} from "./support/abuse-front-door-client";
import {
  createAbuseTestBed,
  type AbuseTestBed,
  type JoinedGuardian,
  type RunningProcess,
} from "./support/abuse-test-bed";

const publicLimit = 6;
const guardianSockets = 3;
const banThreshold = 3;

function expectOpen(
  outcome: GuardianSocketOutcome,
): Extract<GuardianSocketOutcome, { kind: "open" }> {
  expect(outcome).toMatchObject({ kind: "open" });
  if (outcome.kind !== "open") throw new Error("socket not admitted");
  return outcome;
}

// Two real ws-server processes (child processes, HTTPS + WSS) on one PostgreSQL and one
// Redis, under the same ABUSE_REDIS_KEY_PREFIX, as two instances of one deployment: a
// limit counts across both, never per process. Every request comes from 127.0.0.1.
describe("abuse protection across two ws-server processes sharing Redis", () => {
  let bed: AbuseTestBed;
  let a: RunningProcess;
  let b: RunningProcess;
  const open: Extract<GuardianSocketOutcome, { kind: "open" }>[] = [];

  const securityEvents = (kind: string) =>
    bed.admin.deps.prisma.securityEvent.findMany({ where: { kind }, orderBy: { at: "asc" } });

  beforeAll(async () => {
    const redisUrl = process.env.REDIS_URL;
    if (redisUrl === undefined) throw new Error("REDIS_URL is required (npm test provides it)");
    bed = await createAbuseTestBed({ publicOrigin: "https://conclave.example.test" });
    const shared = {
      REDIS_URL: redisUrl,
      ABUSE_REDIS_KEY_PREFIX: `conclave-test:${randomUUID()}`,
      // Exact cross-process counts are the point here: on a loaded machine a Redis
      // answer slower than the 1 s default would switch a limit to per-process counting.
      ABUSE_REDIS_TIMEOUT_MS: "10000",
      RATE_LIMIT_PUBLIC_PER_MINUTE: String(publicLimit),
      WS_MAX_CONNECTIONS_PER_GUARDIAN: String(guardianSockets),
      AUTH_BAN_THRESHOLD: String(banThreshold),
    };
    [a, b] = await Promise.all([bed.spawn(shared), bed.spawn(shared)]);
  });

  afterAll(async () => {
    for (const socket of open) await socket.close();
    await bed.close();
  });

  it("lets exactly RATE_LIMIT_PUBLIC_PER_MINUTE challenges through in total; the rest get 429 with Retry-After, RateLimit headers and retryAfterSeconds", async () => {
    const ca = bed.tls.cert;
    // Three times the limit, all at once, alternating between the processes.
    const attempts = Array.from({ length: publicLimit * 3 }, (_, i) => {
      const target = i % 2 === 0 ? a : b;
      return trpcMutation({ port: target.port, ca }, "auth.issueChallenge", {
        identityPublicKey: generateIdentityKey().publicKeyHex,
      }).then((response) => ({ target, response }));
    });
    const results = await Promise.all(attempts);
    const passed = results.filter(({ response }) => response.status === 200);
    const refused = results.filter(({ response }) => response.status === 429);
    expect(passed).toHaveLength(publicLimit);
    expect(refused).toHaveLength(publicLimit * 2);
    // Each admitted call saw its own place in the one shared budget.
    for (const { response } of passed)
      expect(response.headers["ratelimit-limit"]).toBe(String(publicLimit));
    expect(
      passed
        .map(({ response }) => Number(response.headers["ratelimit-remaining"]))
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: publicLimit }, (_, i) => i));
    // Both processes refused some: neither counted on its own.
    expect(new Set(refused.map(({ target }) => target.port))).toEqual(new Set([a.port, b.port]));
    for (const { response } of refused) {
      const retryAfter = Number(response.headers["retry-after"]);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(response.headers["ratelimit-limit"]).toBe(String(publicLimit));
      expect(response.headers["ratelimit-remaining"]).toBe("0");
      expect(Number(response.headers["ratelimit-reset"])).toBeGreaterThanOrEqual(0);
      const error = trpcErrorOf(response);
      expect(error.data).toMatchObject({
        code: "TOO_MANY_REQUESTS",
        httpStatus: 429,
        reason: "rate_limited",
        retryAfterSeconds: retryAfter,
      });
    }
    // A refused request did no work: exactly the admitted ones made a challenge.
    expect(await bed.admin.deps.prisma.identityChallenge.count()).toBe(publicLimit);
    await expect
      .poll(async () => (await securityEvents("rate_limit.exceeded")).length, {
        timeout: 10_000,
        interval: 100,
      })
      .toBeGreaterThanOrEqual(1);
    const exceeded = await securityEvents("rate_limit.exceeded");
    // One per identifier and window per process: at most one from each.
    expect(exceeded.length).toBeLessThanOrEqual(2);
    for (const event of exceeded) {
      expect(event).toMatchObject({ severity: "WARN", ip: "127.0.0.1" });
      expect(event.details).toMatchObject({ limit: "challenge", max: publicLimit });
    }
  });

  it("holds a guardian to WS_MAX_CONNECTIONS_PER_GUARDIAN sockets across both processes; the next one, on either, is closed with 4429, and a closed socket's slot is taken again", async () => {
    const guardian: JoinedGuardian = await bed.joinGuardian(a.port, "two-process-sockets");
    const connect = (target: RunningProcess) =>
      openGuardianSocket({
        port: target.port,
        ca: bed.tls.cert,
        accessToken: guardian.accessToken,
      });

    // a, b, a: three open sockets, each answering a call.
    for (const target of [a, b, a]) open.push(expectOpen(await connect(target)));
    const reason = `too many connections for this guardian (max ${guardianSockets})`;
    expect(await connect(b)).toEqual({ kind: "closed", code: 4429, reason });
    expect(await connect(a)).toEqual({ kind: "closed", code: 4429, reason });

    // Closing the socket held on b frees its slot for a socket on a.
    const onB = open.splice(1, 1)[0];
    if (onB === undefined) throw new Error("no socket on b");
    await onB.close();
    // The server releases the slot when it sees the close; poll instead of guessing when.
    let replacement: GuardianSocketOutcome | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      replacement = await connect(a);
      if (replacement.kind !== "closed" || replacement.code !== 4429) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (replacement === undefined) throw new Error("no attempt made");
    open.push(expectOpen(replacement));
    // Full again.
    expect(await connect(b)).toEqual({ kind: "closed", code: 4429, reason });

    await expect
      .poll(
        async () =>
          (await securityEvents("connection.limit_exceeded")).filter(
            (event) => event.subjectId === guardian.guardianId,
          ).length,
        { timeout: 10_000, interval: 100 },
      )
      .toBeGreaterThanOrEqual(3);
    for (const event of await securityEvents("connection.limit_exceeded")) {
      expect(event).toMatchObject({
        severity: "WARN",
        ip: "127.0.0.1",
        subjectType: "GUARDIAN",
        subjectId: guardian.guardianId,
      });
      expect(event.details).toMatchObject({ scope: "guardian", max: guardianSockets });
    }
  });

  // Last: it bans 127.0.0.1 for both processes.
  it("enforces on process b a ban earned through failed logins on process a, on HTTP and at the WSS upgrade", async () => {
    const ca = bed.tls.cert;
    const failedLogin = (): Promise<RawResponse> =>
      trpcMutation({ port: a.port, ca }, "auth.login", {
        challengeId: randomUUID(),
        identityPublicKey: generateIdentityKey().publicKeyHex,
        signature: "ab".repeat(64),
        deviceName: "guesser",
      });
    for (let i = 0; i < banThreshold; i++) {
      const response = await failedLogin();
      expect(response.status).toBe(401);
    }
    const bans = await bed.admin.deps.prisma.ban.findMany({ where: { ip: "127.0.0.1" } });
    expect(bans).toHaveLength(1);

    const overHttps = await sendRaw({ port: b.port, ca, path: "/healthz" });
    expect(overHttps.status).toBe(403);
    expect(JSON.parse(overHttps.body)).toMatchObject({
      error: { code: "FORBIDDEN", reason: "banned" },
    });
    expect(Number(overHttps.headers["retry-after"])).toBeGreaterThan(0);
    // A public procedure on b is refused before any work too.
    const challenge = await trpcMutation({ port: b.port, ca }, "auth.issueChallenge", {
      identityPublicKey: generateIdentityKey().publicKeyHex,
    });
    expect(challenge.status).toBe(403);

    const upgrade = await openGuardianSocket({ port: b.port, ca, accessToken: "irrelevant" });
    expect(upgrade).toMatchObject({ kind: "refused", status: 403 });
    if (upgrade.kind !== "refused") throw new Error("upgrade not refused");
    expect(JSON.parse(upgrade.body)).toMatchObject({ error: { reason: "banned" } });

    await expect
      .poll(async () => (await securityEvents("ip.banned")).length, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(1);
    await expect
      .poll(async () => (await securityEvents("ip.ban_refused")).length, {
        timeout: 10_000,
        interval: 100,
      })
      .toBeGreaterThanOrEqual(1);
    // Neither process crashed along the way.
    expect([a.exitCode(), b.exitCode()]).toEqual([undefined, undefined]);
  });
});
