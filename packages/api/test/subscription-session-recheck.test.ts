import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendGuardianEvents } from "../src/services/events/append-guardian-events";
import { adminRevokeSession } from "../src/services/sessions/admin-revoke-session";
import { createAdmin, guardianCaller } from "./support/coordination-harness";
import { createVault, joinNewGuardian, meta } from "./support/fixtures";
import { createTestApi, type TestApi } from "./support/test-api";

type Outcome = { delivered: string[]; error: unknown };

// events.subscribe authenticates once, when it starts; these pin that it keeps
// checking: a revocation announced on the bus ends it at once, and one the bus never
// carried (another process, a lost message), an expiry or an idle timeout ends it
// before the next event is delivered. Each case ends with UNAUTHORIZED.
describe("events.subscribe re-checks its session", () => {
  let api: TestApi;
  let admin: Awaited<ReturnType<typeof createAdmin>>;

  beforeAll(async () => {
    api = await createTestApi();
    admin = await createAdmin(api);
  });
  afterAll(async () => api.close());

  /** A joined guardian subscribed at the end of its log, consumed in the background. */
  async function subscribedGuardian() {
    const vault = await createVault(api, admin.id, `Recheck ${randomUUID().slice(0, 8)}`);
    const guardian = await joinNewGuardian(api, admin.id, vault.id);
    const last = await api.prisma.guardianEvent.findFirst({
      where: { guardianId: guardian.guardianId },
      orderBy: { id: "desc" },
    });
    const controller = new AbortController();
    const caller = guardianCaller(api, guardian.accessToken, controller.signal);
    const subscription = await caller.events.subscribe({
      lastEventId: last?.id.toString() ?? null,
    });
    const delivered: string[] = [];
    const ended: Promise<Outcome> = (async () => {
      try {
        // A server-side caller yields the tracked envelope itself: [id, data, marker].
        for await (const item of subscription) delivered.push((item as unknown as [string])[0]);
        return { delivered, error: null };
      } catch (error) {
        return { delivered, error };
      }
    })();
    const publishEvent = async () => {
      const notices = await api.prisma.$transaction((tx) =>
        appendGuardianEvents(tx, api.clock.now(), [
          {
            guardianId: guardian.guardianId,
            vaultId: vault.id,
            type: "vault.disabled",
            payload: {},
          },
        ]),
      );
      api.deps.guardianEvents.publish(notices);
    };
    return {
      guardian,
      delivered,
      ended,
      publishEvent,
      stop: () => {
        controller.abort();
      },
    };
  }

  function expectUnauthorized(outcome: Outcome, reason: string): void {
    expect(outcome.error).toBeInstanceOf(TRPCError);
    const error = outcome.error as TRPCError;
    expect(error.code).toBe("UNAUTHORIZED");
    expect((error.cause as { reason?: string } | undefined)?.reason).toBe(reason);
  }

  it("delivers live events while the session lives (the baseline the other cases break)", async () => {
    const { delivered, ended, publishEvent, stop } = await subscribedGuardian();
    await publishEvent();
    await expect.poll(() => delivered.length).toBe(1);
    stop();
    expect(await ended).toEqual({ delivered, error: null });
  });

  it("ends at once when the revocation bus names the session; nothing is delivered after", async () => {
    const { guardian, ended, publishEvent } = await subscribedGuardian();
    await adminRevokeSession(
      api.deps,
      meta(),
      { actorType: "USER", actorId: admin.id },
      { sessionId: guardian.sessionId },
    );
    await publishEvent();
    const outcome = await ended;
    expectUnauthorized(outcome, "session_revoked");
    expect(outcome.delivered).toEqual([]);
    const denial = await api.prisma.securityEvent.findFirst({
      where: { kind: "authentication_denied", subjectId: guardian.guardianId },
      orderBy: { at: "desc" },
    });
    expect(denial?.details).toMatchObject({ reason: "session_revoked", path: "events.subscribe" });
  });

  // Each ends the session behind the bus's back (api is read when a case runs).
  const endSession = (id: string, data: { revokedAt?: Date; expiresAt?: Date }) =>
    api.prisma.session.update({ where: { id }, data });
  const unannounced: [string, string, (sessionId: string) => Promise<unknown>][] = [
    [
      "revoked without a bus message (another process, a lost message)",
      "session_revoked",
      (id) => endSession(id, { revokedAt: api.clock.now() }),
    ],
    ["expired", "session_expired", (id) => endSession(id, { expiresAt: api.clock.now() })],
    [
      "idle past the timeout",
      "session_idle",
      () => {
        api.clock.advance(api.deps.config.sessionIdleTimeoutMs);
        return Promise.resolve();
      },
    ],
  ];

  it.each(unannounced)(
    "a session %s ends the subscription before the next event is delivered",
    async (_case, reason, end) => {
      const { guardian, ended, publishEvent } = await subscribedGuardian();
      await end(guardian.sessionId);
      await publishEvent();
      const outcome = await ended;
      expectUnauthorized(outcome, reason);
      expect(outcome.delivered).toEqual([]);
    },
  );
});
