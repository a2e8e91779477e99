import { randomBytes, randomUUID } from "node:crypto";
import { verifyAuditChain } from "@conclave/db/audit/verify-audit-chain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { purgeExpiredRecords } from "../src/services/deadlines/purge-expired-records";
import { createTestApi, type TestApi } from "./support/test-api";

const day = 24 * 60 * 60_000;
const policy = { retentionMs: 90 * day, identityChallengeRetentionMs: day };

// The purge against the real database, with the injected clock moved instead of waiting.
describe("retention purge", () => {
  let api: TestApi;
  const ago = (ms: number) => new Date(api.clock.now().getTime() - ms);

  beforeAll(async () => {
    api = await createTestApi();
  });

  afterAll(async () => {
    await api.close();
  });

  async function securityEvent(at: Date): Promise<string> {
    const row = await api.prisma.securityEvent.create({
      data: { at, kind: "guardian.login_failed", severity: "WARN", ip: "192.0.2.9", details: {} },
    });
    return row.id;
  }

  async function session(
    times: { lastActivityAt: Date; expiresAt: Date; revokedAt?: Date },
    deviceName: string,
  ): Promise<string> {
    const id = randomUUID();
    await api.prisma.session.create({
      data: {
        id,
        subjectType: "GUARDIAN",
        subjectId: randomUUID(),
        deviceName,
        createdAt: ago(200 * day),
        ...times,
      },
    });
    return id;
  }

  async function challenge(expiresAt: Date, usedAt: Date | null): Promise<string> {
    const row = await api.prisma.identityChallenge.create({
      data: {
        identityPublicKey: randomBytes(32).toString("hex"),
        challenge: randomBytes(32).toString("hex"),
        purpose: "guardian-login",
        origin: "https://localhost:8443",
        createdAt: new Date(expiresAt.getTime() - 60_000),
        expiresAt,
        usedAt,
      },
    });
    return row.id;
  }

  it("deletes what the policy no longer keeps, keeps the rest, and audits counts only", async () => {
    const oldEvent = await securityEvent(ago(91 * day));
    const recentEvent = await securityEvent(ago(89 * day));
    const revoked = await session(
      { lastActivityAt: ago(120 * day), expiresAt: ago(113 * day), revokedAt: ago(100 * day) },
      "revoked-device",
    );
    const idle = await session(
      { lastActivityAt: ago(95 * day), expiresAt: ago(88 * day) },
      "idle-device",
    );
    const endedRecently = await session(
      { lastActivityAt: ago(30 * day), expiresAt: ago(23 * day), revokedAt: ago(30 * day) },
      "recent-device",
    );
    const live = await session({ lastActivityAt: ago(60_000), expiresAt: ago(-day) }, "live");
    const spent = await challenge(ago(2 * day), ago(2 * day + 30_000));
    const unused = await challenge(ago(2 * day), null);
    const fresh = await challenge(ago(-60_000), null);
    const headBefore = await api.prisma.auditEvent.count();

    const result = await purgeExpiredRecords(api.deps, policy, api.clock.now());
    expect(result).toEqual({
      securityEventsDeleted: 1,
      sessionsDeleted: 2,
      identityChallengesDeleted: 2,
    });

    const remaining = async () => ({
      events: (await api.prisma.securityEvent.findMany({ select: { id: true } })).map((r) => r.id),
      sessions: (await api.prisma.session.findMany({ select: { id: true } })).map((r) => r.id),
      challenges: (await api.prisma.identityChallenge.findMany({ select: { id: true } })).map(
        (r) => r.id,
      ),
    });
    const left = await remaining();
    expect(left.events).toEqual([recentEvent]);
    expect(left.events).not.toContain(oldEvent);
    expect(left.sessions.sort()).toEqual([endedRecently, live].sort());
    expect(left.sessions).not.toContain(revoked);
    expect(left.sessions).not.toContain(idle);
    expect(left.challenges).toEqual([fresh]);
    expect(left.challenges).not.toContain(spent);
    expect(left.challenges).not.toContain(unused);

    const audit = await api.prisma.auditEvent.findMany({ where: { action: "retention_purge" } });
    expect(audit).toHaveLength(1);
    expect(await api.prisma.auditEvent.count()).toBe(headBefore + 1);
    const [row] = audit;
    expect(row).toMatchObject({ actorType: "SYSTEM", outcome: "SUCCESS", targetId: null });
    expect(row?.details).toEqual({
      securityEventsDeleted: 1,
      sessionsDeleted: 2,
      identityChallengesDeleted: 2,
      securityEventsBefore: ago(90 * day).toISOString(),
      sessionsBefore: ago(90 * day).toISOString(),
      identityChallengesBefore: ago(day).toISOString(),
    });
    // Counts and cutoffs only: no id, address or device of a purged row.
    const stored = JSON.stringify(row?.details);
    for (const purged of [oldEvent, revoked, idle, spent, unused, "192.0.2.9", "idle-device"])
      expect(stored).not.toContain(purged);
    expect(await verifyAuditChain(api.prisma)).toMatchObject({ ok: true });

    // 91 days on, the rows that were recent are past the retention too.
    api.clock.advance(91 * day);
    expect(await purgeExpiredRecords(api.deps, policy, api.clock.now())).toEqual({
      securityEventsDeleted: 1,
      sessionsDeleted: 2,
      identityChallengesDeleted: 1,
    });
    expect(await api.prisma.securityEvent.count()).toBe(0);
    expect(await api.prisma.session.count()).toBe(0);
  });

  it("skips the run while another instance holds the purge, writing nothing", async () => {
    await securityEvent(ago(200 * day));
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: (() => void) | undefined;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = api.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('conclave.retention-purge'))`;
      locked?.();
      await held;
    });
    await isLocked;
    const auditBefore = await api.prisma.auditEvent.count();
    expect(await purgeExpiredRecords(api.deps, policy, api.clock.now())).toBeNull();
    expect(await api.prisma.auditEvent.count()).toBe(auditBefore);
    expect(await api.prisma.securityEvent.count()).toBe(1);
    release?.();
    await holder;
    expect(await purgeExpiredRecords(api.deps, policy, api.clock.now())).toMatchObject({
      securityEventsDeleted: 1,
    });
  });
});
