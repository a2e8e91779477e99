import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { buildChallengeMessage } from "@conclave/auth/identity-challenge";
import {
  ChallengeRefusedError,
  generateIdentityKey,
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
