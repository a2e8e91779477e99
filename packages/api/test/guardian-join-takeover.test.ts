import { buildChallengeMessage } from "@conclave/auth/identity-challenge";
import { ed25519 } from "@noble/curves/ed25519.js";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardianHttpRoot } from "../src/routers/guardian-http-root";
import { createCallerFactory } from "../src/trpc";
import { context, createUser, createVault, invite, newIdentity } from "./support/fixtures";
import { generousAuthLimits } from "./support/generous-auth-limits";
import { signJoinChallenge } from "./support/signed-join";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

const httpCallerOf = createCallerFactory(guardianHttpRoot);
type HttpCaller = ReturnType<typeof httpCallerOf>;
type JoinInput = Parameters<HttpCaller["auth"]["join"]>[0];
type Identity = ReturnType<typeof newIdentity>;

function anonymousCaller(api: TestApi, ip = "198.51.100.77"): HttpCaller {
  return httpCallerOf(context(api, { frontDoor: "guardian", ip }));
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; reason: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { code: error.code, reason: (error.cause as { reason?: unknown } | undefined)?.reason };
  }
  throw new Error("expected the call to be refused");
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

// Joins the way the SDK does: a join challenge for the key, signed over vault and code.
async function join(caller: HttpCaller, identity: Identity, vaultId: string, code: string) {
  const challenge = await caller.auth.issueJoinChallenge({
    identityPublicKey: identity.publicKeyHex,
  });
  const input: JoinInput = {
    vaultId,
    code,
    identityPublicKey: identity.publicKeyHex,
    challengeId: challenge.challengeId,
    signature: signJoinChallenge(identity.secretKey, challenge, { vaultId, code }),
    displayName: "Guardian",
    deviceName: "laptop",
  };
  return { input, joined: await caller.auth.join(input) };
}

describe("guardian join: an identity key is enrolled only with proof of possession", () => {
  let api: TestApi;
  let adminId: string;
  let vaultA: string;
  let vaultB: string;
  const victim = newIdentity();
  let victimGuardianId: string;
  let victimJoin: JoinInput;
  let victimLogin: { challengeId: string; signature: string };

  beforeAll(async () => {
    // This file checks the proof, not the throttles (tested below).
    api = await createTestApi({ abuse: generousAuthLimits });
    adminId = (await createUser(api, "ADMIN")).id;
    vaultA = (await createVault(api, adminId, "A")).id;
    vaultB = (await createVault(api, adminId, "B")).id;
    const caller = anonymousCaller(api, "192.0.2.10");
    const victimInvitation = await invite(api, adminId, vaultA);
    const joined = await join(caller, victim, vaultA, victimInvitation.code);
    victimGuardianId = joined.joined.guardianId;
    victimJoin = joined.input;
    const challenge = await caller.auth.issueChallenge({ identityPublicKey: victim.publicKeyHex });
    const message = buildChallengeMessage({
      ...challenge,
      purpose: "guardian-login",
      expiresAt: new Date(challenge.expiresAt),
    });
    victimLogin = {
      challengeId: challenge.challengeId,
      signature: hex(ed25519.sign(message, victim.secretKey)),
    };
    await caller.auth.login({
      ...victimLogin,
      identityPublicKey: victim.publicKeyHex,
      deviceName: "victim phone",
    });
  });
  afterAll(async () => api.close());

  it("refuses every way of presenting the victim's public key without the victim's fresh proof", async () => {
    const invitationB = await invite(api, adminId, vaultB);
    const otherInvitationB = await invite(api, adminId, vaultB);
    const caller = anonymousCaller(api);
    const mallory = newIdentity();
    const asVictim = {
      vaultId: vaultB,
      code: invitationB.code,
      identityPublicKey: victim.publicKeyHex,
      displayName: "Mallory",
      deviceName: "mallory",
    };
    const challenge = () =>
      caller.auth.issueJoinChallenge({ identityPublicKey: victim.publicKeyHex });
    // What the victim's key signed for something else (a phished or leaked signature).
    const victimSigned = async (binding: { vaultId: string; code: string; origin?: string }) => {
      const issued = await challenge();
      return {
        challengeId: issued.challengeId,
        signature: signJoinChallenge(victim.secretKey, issued, binding),
      };
    };
    const forB = { vaultId: vaultB, code: invitationB.code };
    // A proof that was right once, but for a challenge that has since expired.
    const expiring = await victimSigned(forB);
    api.clock.advance(api.deps.config.challengeTtlMs + 1);

    const attempts: [string, JoinInput, string][] = [
      ["no proof at all", asVictim, "join_proof_missing"],
      [
        "a challenge but no signature",
        { ...asVictim, challengeId: (await challenge()).challengeId },
        "join_proof_missing",
      ],
      [
        "an all-zero signature",
        { ...asVictim, challengeId: (await challenge()).challengeId, signature: "00".repeat(64) },
        "join_signature_invalid",
      ],
      [
        "a signature by the attacker's own key",
        await (async () => {
          const issued = await challenge();
          return {
            ...asVictim,
            challengeId: issued.challengeId,
            signature: signJoinChallenge(mallory.secretKey, issued, forB),
          };
        })(),
        "join_signature_invalid",
      ],
      [
        "a replay of the victim's own join",
        { ...asVictim, challengeId: victimJoin.challengeId, signature: victimJoin.signature },
        "join_challenge_invalid",
      ],
      ["a replay of the victim's login", { ...asVictim, ...victimLogin }, "join_challenge_invalid"],
      [
        "the victim's login signature on a fresh join challenge",
        {
          ...asVictim,
          challengeId: (await challenge()).challengeId,
          signature: victimLogin.signature,
        },
        "join_signature_invalid",
      ],
      [
        "a signature for another vault",
        { ...asVictim, ...(await victimSigned({ vaultId: vaultA, code: invitationB.code })) },
        "join_signature_invalid",
      ],
      [
        "a signature for another invitation of the same vault",
        { ...asVictim, ...(await victimSigned({ vaultId: vaultB, code: otherInvitationB.code })) },
        "join_signature_invalid",
      ],
      [
        "a signature for another origin",
        { ...asVictim, ...(await victimSigned({ ...forB, origin: "https://evil.example" })) },
        "join_signature_invalid",
      ],
      [
        "a signature over the join challenge made as a login",
        await (async () => {
          const issued = await challenge();
          const message = buildChallengeMessage({
            ...issued,
            purpose: "guardian-login",
            expiresAt: new Date(issued.expiresAt),
          });
          return {
            ...asVictim,
            challengeId: issued.challengeId,
            signature: hex(ed25519.sign(message, victim.secretKey)),
          };
        })(),
        "join_signature_invalid",
      ],
    ];
    attempts.push(["an expired challenge", { ...asVictim, ...expiring }, "join_challenge_invalid"]);

    const sessionsBefore = await api.prisma.session.count({
      where: { subjectId: victimGuardianId },
    });
    const takeoverEvents = () =>
      api.prisma.securityEvent.findMany({ where: { kind: "guardian.join_takeover_attempt" } });
    const seen = new Set((await takeoverEvents()).map((event) => event.id));
    for (const [label, input, reason] of attempts) {
      expect({ label, ...(await refusal(caller.auth.join(input))) }).toEqual({
        label,
        code: "BAD_REQUEST",
        reason,
      });
      const fresh = (await takeoverEvents()).filter((event) => !seen.has(event.id));
      for (const event of fresh) seen.add(event.id);
      expect({ label, fresh }).toMatchObject({
        label,
        fresh: [
          {
            severity: "CRITICAL",
            subjectType: "GUARDIAN",
            subjectId: victimGuardianId,
            details: { reason, vaultId: vaultB },
          },
        ],
      });
    }

    expect(await api.prisma.session.count({ where: { subjectId: victimGuardianId } })).toBe(
      sessionsBefore,
    );
    const invitation = await api.prisma.invitation.findUniqueOrThrow({
      where: { id: invitationB.id },
    });
    expect(invitation).toMatchObject({ usedAt: null, usedByGuardianId: null });
    expect(await api.prisma.vaultMembership.count({ where: { vaultId: vaultB } })).toBe(0);
    expect(
      await api.prisma.vaultMembership.count({ where: { guardianId: victimGuardianId } }),
    ).toBe(1);
    const denials = await api.prisma.auditEvent.findMany({
      where: { action: "guardian_join", outcome: "DENIED", targetId: victimGuardianId },
    });
    expect(denials).toHaveLength(attempts.length);
    expect(denials.every((row) => row.actorType === "ANONYMOUS")).toBe(true);
    const successes = await api.prisma.auditEvent.findMany({
      where: { action: "guardian_join", outcome: "SUCCESS", actorId: victimGuardianId },
    });
    expect(successes).toHaveLength(1);
    // Nothing secret in what the refusals wrote.
    const written = JSON.stringify([
      denials.map((row) => row.details),
      await api.prisma.securityEvent.findMany({ where: { subjectId: victimGuardianId } }),
    ]);
    expect(written).not.toContain(invitationB.code);
    expect(written).not.toContain(victimJoin.signature);

    // The invitation the attacker held is still good for a real join with its own key.
    const { joined } = await join(caller, mallory, vaultB, invitationB.code);
    expect(joined.guardianId).not.toBe(victimGuardianId);
  });

  it("a bad proof for a key nobody holds is an ordinary WARN denial", async () => {
    const invitation = await invite(api, adminId, vaultB);
    const caller = anonymousCaller(api);
    const stranger = newIdentity();
    const issued = await caller.auth.issueJoinChallenge({
      identityPublicKey: stranger.publicKeyHex,
    });
    const input: JoinInput = {
      vaultId: vaultB,
      code: invitation.code,
      identityPublicKey: stranger.publicKeyHex,
      challengeId: issued.challengeId,
      signature: signJoinChallenge(newIdentity().secretKey, issued, {
        vaultId: vaultB,
        code: invitation.code,
      }),
      displayName: "Stranger",
      deviceName: "stranger",
    };
    expect(await refusal(caller.auth.join(input))).toEqual({
      code: "BAD_REQUEST",
      reason: "join_signature_invalid",
    });
    const events = await api.prisma.securityEvent.findMany({
      where: { details: { path: ["challengeId"], equals: issued.challengeId } },
    });
    expect(events).toMatchObject([
      { kind: "guardian_join_denied", severity: "WARN", subjectId: null },
    ]);
    expect(
      await api.prisma.guardian.count({ where: { identityPublicKey: stranger.publicKeyHex } }),
    ).toBe(0);
  });

  it("one identity joins a second vault with a valid proof, as the same guardian", async () => {
    const vaultC = (await createVault(api, adminId, "C")).id;
    const invitation = await invite(api, adminId, vaultC);
    const caller = anonymousCaller(api);
    const { input, joined } = await join(caller, victim, vaultC, invitation.code);
    expect(joined.guardianId).toBe(victimGuardianId);
    expect(joined.vaultId).toBe(vaultC);
    const memberships = await api.prisma.vaultMembership.findMany({
      where: { guardianId: victimGuardianId },
      select: { vaultId: true },
    });
    expect(new Set(memberships.map((m) => m.vaultId))).toEqual(new Set([vaultA, vaultC]));
    const audit = await api.prisma.auditEvent.findFirstOrThrow({
      where: { action: "guardian_join", outcome: "SUCCESS", targetId: vaultC },
    });
    expect(audit).toMatchObject({ actorId: victimGuardianId, details: { newGuardian: false } });
    // The proof is spent with its challenge: it opens nothing a second time.
    const again = await invite(api, adminId, vaultC);
    expect(await refusal(caller.auth.join({ ...input, code: again.code }))).toEqual({
      code: "BAD_REQUEST",
      reason: "join_challenge_invalid",
    });
  });
});

describe("guardian join: failed proofs count toward the join backoff", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi({
      abuse: { authFailures: { freeFailuresPerIdentifier: 2, freeFailuresPerIp: 100 } },
    });
  });
  afterAll(async () => api.close());

  it("backs off the vault after repeated bad signatures, before the invitation is looked at", async () => {
    const adminId = (await createUser(api, "ADMIN")).id;
    const vaultId = (await createVault(api, adminId)).id;
    const invitation = await invite(api, adminId, vaultId);
    const caller = anonymousCaller(api, "198.51.100.90");
    const identity = newIdentity();
    const badJoin = async () => {
      const issued = await caller.auth.issueJoinChallenge({
        identityPublicKey: identity.publicKeyHex,
      });
      return refusal(
        caller.auth.join({
          vaultId,
          code: invitation.code,
          identityPublicKey: identity.publicKeyHex,
          challengeId: issued.challengeId,
          signature: "11".repeat(64),
          displayName: "G",
          deviceName: "d",
        }),
      );
    };
    const outcomes = [await badJoin(), await badJoin(), await badJoin(), await badJoin()];
    const refused = { code: "BAD_REQUEST", reason: "join_signature_invalid" };
    expect(outcomes).toEqual([
      refused,
      refused,
      refused,
      { code: "TOO_MANY_REQUESTS", reason: "backoff" },
    ]);
    const stored = await api.prisma.invitation.findUniqueOrThrow({ where: { id: invitation.id } });
    expect(stored.usedAt).toBeNull();
  });
});
