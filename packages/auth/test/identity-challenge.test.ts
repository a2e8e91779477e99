import { createHash } from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import {
  buildChallengeMessage,
  ChallengeMessageError,
  generateChallenge,
  invitationBinding,
} from "../src/identity-challenge";
import { isValidIdentityPublicKey, verifyIdentitySignature } from "../src/identity-signature";
import type { ChallengeMessageInput } from "../src/identity-challenge";
import { lengthPrefixedFields } from "./support/length-prefixed-fields";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const secretKey = ed25519.utils.randomSecretKey();
const publicKeyHex = hex(ed25519.getPublicKey(secretKey));
const base: ChallengeMessageInput = {
  origin: "https://localhost:8443",
  purpose: "guardian-login",
  challenge: generateChallenge(),
  expiresAt: new Date("2030-01-01T00:01:00.000Z"),
};
const code = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345";
const join: ChallengeMessageInput = {
  ...base,
  purpose: "guardian-join",
  vaultId: "5b7c2f1e-8a1d-4c3b-9e2f-0d4a6b8c1e3f",
  invitationBinding: invitationBinding(code),
};
const sign = (input: ChallengeMessageInput, key = secretKey) =>
  hex(ed25519.sign(buildChallengeMessage(input), key));

describe("identity challenge", () => {
  it("encodes the documented canonical bytes", () => {
    const message = buildChallengeMessage({ ...base, challenge: "A".repeat(43) });
    const fields = [
      "conclave-identity-v1",
      "https://localhost:8443",
      "guardian-login",
      "A".repeat(43),
      "2030-01-01T00:01:00.000Z",
    ];
    expect(Buffer.from(message).equals(lengthPrefixedFields(fields))).toBe(true);
  });

  it("verifies a signature over the server's own message", () => {
    expect(verifyIdentitySignature(publicKeyHex, buildChallengeMessage(base), sign(base))).toBe(
      true,
    );
    expect(
      verifyIdentitySignature(
        publicKeyHex.toUpperCase(),
        buildChallengeMessage(base),
        sign(base).toUpperCase(),
      ),
    ).toBe(true);
  });

  it("refuses a signature made for another origin, purpose, challenge or expiry", () => {
    const expected = buildChallengeMessage(base);
    const others: ChallengeMessageInput[] = [
      { ...base, origin: "https://evil.example" },
      { ...base, origin: "https://localhost:8444" },
      join,
      { ...base, challenge: generateChallenge() },
      { ...base, expiresAt: new Date(base.expiresAt.getTime() + 1000) },
    ];
    for (const other of others)
      expect(verifyIdentitySignature(publicKeyHex, expected, sign(other))).toBe(false);
  });

  it("encodes a join message as the login fields, then vault id and invitation binding", () => {
    const message = buildChallengeMessage({ ...join, challenge: "A".repeat(43) });
    const binding = createHash("sha256")
      .update(Buffer.from([0, 0, 0, 22]))
      .update("conclave-invitation-v1")
      .update(Buffer.from([0, 0, 0, 28]))
      .update("ABCDEFGHJKMNPQRSTVWXYZ012345")
      .digest("hex");
    expect(binding).toBe(invitationBinding(code));
    const fields = [
      "conclave-identity-v1",
      "https://localhost:8443",
      "guardian-join",
      "A".repeat(43),
      "2030-01-01T00:01:00.000Z",
      "5b7c2f1e-8a1d-4c3b-9e2f-0d4a6b8c1e3f",
      binding,
    ];
    expect(Buffer.from(message).equals(lengthPrefixedFields(fields))).toBe(true);
  });

  it("binds a join signature to one vault and one invitation, however the code is typed", () => {
    expect(invitationBinding("abcd efgh jkmn pqrs tvwx yzo1 2345")).toBe(invitationBinding(code));
    expect(invitationBinding("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2346")).not.toBe(
      invitationBinding(code),
    );
    const expected = buildChallengeMessage(join);
    expect(verifyIdentitySignature(publicKeyHex, expected, sign(join))).toBe(true);
    const others: ChallengeMessageInput[] = [
      { ...join, vaultId: "5b7c2f1e-8a1d-4c3b-9e2f-0d4a6b8c1e40" },
      { ...join, invitationBinding: invitationBinding("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2346") },
      { ...join, origin: "https://evil.example" },
      base,
    ];
    for (const other of others)
      expect(verifyIdentitySignature(publicKeyHex, expected, sign(other))).toBe(false);
  });

  it("refuses a signature by another key", () => {
    const otherKey = ed25519.utils.randomSecretKey();
    expect(
      verifyIdentitySignature(publicKeyHex, buildChallengeMessage(base), sign(base, otherKey)),
    ).toBe(false);
  });

  it("returns false on malformed keys and signatures, and refuses small-order keys", () => {
    const message = buildChallengeMessage(base);
    const signature = sign(base);
    expect(verifyIdentitySignature("zz", message, signature)).toBe(false);
    expect(verifyIdentitySignature(publicKeyHex, message, signature.slice(2))).toBe(false);
    expect(verifyIdentitySignature(publicKeyHex, message, "00".repeat(64))).toBe(false);
    const identity = `01${"00".repeat(31)}`;
    expect(isValidIdentityPublicKey(identity)).toBe(false);
    expect(verifyIdentitySignature(identity, message, `01${"00".repeat(63)}`)).toBe(false);
    expect(isValidIdentityPublicKey(publicKeyHex)).toBe(true);
  });

  it("refuses malformed message inputs", () => {
    const bad: ChallengeMessageInput[] = [
      { ...base, origin: "https://localhost:8443/" },
      { ...base, origin: "HTTPS://LOCALHOST:8443" },
      { ...base, origin: "ftp://x" },
      { ...base, purpose: "admin-login" as "guardian-login" },
      { ...base, challenge: "short" },
      { ...base, expiresAt: new Date(Number.NaN) },
      { ...join, vaultId: "5B7C2F1E-8A1D-4C3B-9E2F-0D4A6B8C1E3F" },
      { ...join, vaultId: "vault" },
      { ...join, invitationBinding: "00" },
    ];
    for (const input of bad)
      expect(() => buildChallengeMessage(input)).toThrow(ChallengeMessageError);
  });
});
