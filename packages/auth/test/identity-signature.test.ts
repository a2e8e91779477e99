import { ed25519 } from "@noble/curves/ed25519.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { isValidIdentityPublicKey, verifyIdentitySignature } from "../src/identity-signature";

// verifyIdentitySignature is the one verifier of identity-key signatures, on the
// server and in the client (challenges, DKG round keys, round-2 envelopes). Each case
// below is one that a lenient verifier (hex decoded with Buffer.from, ZIP-215 rules)
// accepts, shown alongside, so the strict one is seen to refuse what matters.

const P = 2n ** 255n - 19n;
const L = ed25519.Point.CURVE().n;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const littleEndian = (value: bigint) => {
  const out = new Uint8Array(32);
  let rest = value;
  for (let index = 0; index < 32; index++) {
    out[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
};
const fromLittleEndian = (bytes: Uint8Array) =>
  bytes.reduceRight((total, byte) => (total << 8n) + BigInt(byte), 0n);
const lenientVerify = (signatureHex: string, message: Uint8Array, publicKeyHex: string) =>
  ed25519.verify(Buffer.from(signatureHex, "hex"), message, Buffer.from(publicKeyHex, "hex"), {
    zip215: true,
  });

const secretKey = ed25519.utils.randomSecretKey();
const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(secretKey);
const publicKeyHex = hex(pointBytes);
const message = new TextEncoder().encode("conclave strict verification");
const signatureHex = hex(ed25519.sign(message, secretKey));

describe("strict Ed25519 verification (verifyIdentitySignature)", () => {
  it("accepts a signature by the key over the message, and nothing else", () => {
    expect(verifyIdentitySignature(publicKeyHex, message, signatureHex)).toBe(true);
    expect(verifyIdentitySignature(publicKeyHex, new Uint8Array([1]), signatureHex)).toBe(false);
  });

  it("refuses hex with anything after, inside or instead of the digits", () => {
    const cases: [key: string, signature: string][] = [
      [publicKeyHex, `${signatureHex}zz`],
      [`${publicKeyHex}zz`, signatureHex],
      [publicKeyHex, `${signatureHex} `],
      [`${publicKeyHex.slice(0, 62)}0g`, signatureHex],
      [publicKeyHex, `${signatureHex.slice(0, 126)}x0`],
      ["", ""],
    ];
    // Buffer.from(..., "hex") stops at the first non-hex pair: the first two verify leniently.
    expect(lenientVerify(`${signatureHex}zz`, message, publicKeyHex)).toBe(true);
    expect(lenientVerify(signatureHex, message, `${publicKeyHex}zz`)).toBe(true);
    for (const [key, signature] of cases) {
      expect(verifyIdentitySignature(key, message, signature)).toBe(false);
    }
  });

  it("refuses keys and signatures of the wrong length", () => {
    // An odd number of digits: Buffer.from drops the last one, leaving the valid signature.
    expect(lenientVerify(`${signatureHex}0`, message, publicKeyHex)).toBe(true);
    expect(verifyIdentitySignature(publicKeyHex, message, `${signatureHex}0`)).toBe(false);
    expect(verifyIdentitySignature(publicKeyHex, message, `${signatureHex}00`)).toBe(false);
    expect(verifyIdentitySignature(publicKeyHex, message, signatureHex.slice(0, 126))).toBe(false);
    expect(verifyIdentitySignature(`${publicKeyHex}00`, message, signatureHex)).toBe(false);
    expect(verifyIdentitySignature(publicKeyHex.slice(0, 62), message, signatureHex)).toBe(false);
    expect(isValidIdentityPublicKey(`${publicKeyHex}00`)).toBe(false);
  });

  it("refuses a non-canonical R (the identity point encoded as p + 1)", () => {
    const r = littleEndian(P + 1n);
    const k = fromLittleEndian(sha512(new Uint8Array([...r, ...pointBytes, ...message]))) % L;
    const forged = hex(new Uint8Array([...r, ...littleEndian((k * scalar) % L)]));
    expect(lenientVerify(forged, message, publicKeyHex)).toBe(true);
    expect(verifyIdentitySignature(publicKeyHex, message, forged)).toBe(false);
  });

  it("refuses a non-reduced S (S + L)", () => {
    const r = signatureHex.slice(0, 64);
    const s = fromLittleEndian(Buffer.from(signatureHex.slice(64), "hex"));
    const unreduced = `${r}${hex(littleEndian(s + L))}`;
    expect(verifyIdentitySignature(publicKeyHex, message, unreduced)).toBe(false);
  });

  it("refuses a non-canonical public key encoding (y >= p) of a usable point", () => {
    // y = 3 is on the curve and not of small order: canonical it is a usable key.
    const canonical = hex(littleEndian(3n));
    const nonCanonical = hex(littleEndian(P + 3n));
    expect(ed25519.Point.fromHex(nonCanonical, true).equals(ed25519.Point.fromHex(canonical))).toBe(
      true,
    );
    expect(isValidIdentityPublicKey(canonical)).toBe(true);
    expect(isValidIdentityPublicKey(nonCanonical)).toBe(false);
    expect(verifyIdentitySignature(nonCanonical, message, signatureHex)).toBe(false);
  });

  it("refuses a small-order key, whose all-zero signature verifies every message leniently", () => {
    const identityKey = hex(littleEndian(1n));
    const zeroSignature = `${identityKey}${"00".repeat(32)}`;
    expect(lenientVerify(zeroSignature, message, identityKey)).toBe(true);
    expect(isValidIdentityPublicKey(identityKey)).toBe(false);
    expect(verifyIdentitySignature(identityKey, message, zeroSignature)).toBe(false);
  });
});
