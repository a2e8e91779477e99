import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardianClient, type GuardianClient } from "@conclave/client/create-guardian-client";
import { generateIdentityKey, signJoinChallenge } from "@conclave/client/identity/identity-key";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { trpcDataOf, trpcErrorOf, trpcMutation } from "./support/abuse-front-door-client";
import { createAdmin, inviteToNewVault } from "./support/guardian-ceremonies";

// The join takeover over the real front door: a guardian's public key (which co-members
// see) plus an invitation code for another vault must not open a session as that
// guardian. The SDK's join proves possession of the key it enrols.
describe("guardian join over HTTPS requires proof of the identity key", () => {
  let door: GuardianFrontDoor;
  let adminId: string;
  const clients: GuardianClient[] = [];

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    adminId = await createAdmin(door, "join-proof-admin@example.test");
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await door.close();
  });

  it("refuses the victim's public key with another vault's code, spends nothing, and raises a CRITICAL event", async () => {
    const victim = createGuardianClient({
      serverUrl: door.origin,
      ca: door.tls.cert,
      stateDir: door.stateDir(),
    });
    clients.push(victim);
    const vaultA = await inviteToNewVault(door, adminId, "Victim vault");
    const victimState = await victim.join({ ...vaultA, deviceName: "victim laptop" });
    const victimKey = victimState.identity.publicKeyHex;

    const vaultB = await inviteToNewVault(door, adminId, "Attacker vault");
    const server = { port: door.port, ca: door.tls.cert };
    const mallory = generateIdentityKey();
    const issued = trpcDataOf(
      await trpcMutation(server, "auth.issueJoinChallenge", { identityPublicKey: victimKey }),
    );
    const asVictim = {
      ...vaultB,
      identityPublicKey: victimKey,
      displayName: "Mallory",
      deviceName: "mallory",
    };
    const unproven = await trpcMutation(server, "auth.join", asVictim);
    const forged = await trpcMutation(server, "auth.join", {
      ...asVictim,
      challengeId: String(issued.challengeId),
      signature: signJoinChallenge(
        mallory,
        door.origin,
        {
          challenge: String(issued.challenge),
          origin: String(issued.origin),
          purpose: "guardian-join",
          expiresAt: String(issued.expiresAt),
        },
        vaultB,
      ),
    });
    for (const [response, reason] of [
      [unproven, "join_proof_missing"],
      [forged, "join_signature_invalid"],
    ] as const) {
      expect(response.status).toBe(400);
      expect(trpcErrorOf(response).data).toMatchObject({ code: "BAD_REQUEST", reason });
      expect(response.body).not.toContain("accessToken");
    }

    const prisma = door.api.deps.prisma;
    const events = await prisma.securityEvent.findMany({
      where: { kind: "guardian.join_takeover_attempt" },
    });
    expect(events.map((event) => [event.severity, event.subjectId])).toEqual([
      ["CRITICAL", victimState.guardianId],
      ["CRITICAL", victimState.guardianId],
    ]);
    expect(await prisma.session.count({ where: { subjectId: victimState.guardianId } })).toBe(1);
    expect(await prisma.vaultMembership.count({ where: { vaultId: vaultB.vaultId } })).toBe(0);
    const invitation = await prisma.invitation.findFirstOrThrow({
      where: { vaultId: vaultB.vaultId },
    });
    expect(invitation.usedAt).toBeNull();

    // The code is still good for a guardian that proves its own key, through the SDK.
    const honest = createGuardianClient({
      serverUrl: door.origin,
      ca: door.tls.cert,
      stateDir: door.stateDir(),
    });
    clients.push(honest);
    const honestState = await honest.join({ ...vaultB, deviceName: "honest phone" });
    expect(honestState.guardianId).not.toBe(victimState.guardianId);
    expect(await honest.api.vaults.list.query()).toEqual([
      expect.objectContaining({ id: vaultB.vaultId }),
    ]);
  });
});
