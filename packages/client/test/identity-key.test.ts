import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { buildChallengeMessage, invitationBinding } from "@conclave/auth/identity-challenge";
import {
  ChallengeRefusedError,
  generateIdentityKey,
  signJoinChallenge,
  signLoginChallenge,
} from "../src/identity/identity-key";

const challenge = {
  challenge: "A".repeat(43),
  origin: "https://conclave.example:8443",
  purpose: "guardian-login" as const,
  expiresAt: "2026-11-28T03:00:00.000Z",
};

describe("signLoginChallenge", () => {
  it("signs the canonical message for the dialled origin", () => {
    const identity = generateIdentityKey();
    const signature = signLoginChallenge(identity, challenge.origin, challenge);
    const message = buildChallengeMessage({
      ...challenge,
      expiresAt: new Date(challenge.expiresAt),
    });
    expect(
      ed25519.verify(
        Buffer.from(signature, "hex"),
        message,
        Buffer.from(identity.publicKeyHex, "hex"),
      ),
    ).toBe(true);
  });

  it("refuses a challenge naming another origin", () => {
    const identity = generateIdentityKey();
    expect(() => signLoginChallenge(identity, "https://other.example", challenge)).toThrow(
      ChallengeRefusedError,
    );
  });
});

describe("signJoinChallenge", () => {
  const joinChallenge = { ...challenge, purpose: "guardian-join" as const };
  const invitation = {
    vaultId: "5B7C2F1E-8A1D-4C3B-9E2F-0D4A6B8C1E3F",
    code: "abcd-efgh-jkmn-pqrs-tvwx-yz01-2345",
  };

  it("signs origin, challenge, expiry, the vault (lowercased) and the invitation's hash", () => {
    const identity = generateIdentityKey();
    const signature = signJoinChallenge(identity, joinChallenge.origin, joinChallenge, invitation);
    const message = buildChallengeMessage({
      ...joinChallenge,
      expiresAt: new Date(joinChallenge.expiresAt),
      vaultId: invitation.vaultId.toLowerCase(),
      invitationBinding: invitationBinding("ABCDEFGHJKMNPQRSTVWXYZ012345"),
    });
    const publicKey = Buffer.from(identity.publicKeyHex, "hex");
    expect(ed25519.verify(Buffer.from(signature, "hex"), message, publicKey)).toBe(true);
    const loginMessage = buildChallengeMessage({
      ...challenge,
      expiresAt: new Date(challenge.expiresAt),
    });
    expect(ed25519.verify(Buffer.from(signature, "hex"), loginMessage, publicKey)).toBe(false);
  });

  it("refuses a join challenge naming another origin", () => {
    expect(() =>
      signJoinChallenge(generateIdentityKey(), "https://other.example", joinChallenge, invitation),
    ).toThrow(ChallengeRefusedError);
  });
});
