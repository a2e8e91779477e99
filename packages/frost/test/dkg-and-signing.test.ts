import { schnorr } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { aggregateSignature } from "../src/aggregate";
import { commit } from "../src/commit";
import { dkgRound1, dkgRound2, dkgRound3 } from "../src/dkg";
import { FrostProtocolError } from "../src/errors";
import { derivePublicKeyPackage, samePublicKeyPackage } from "../src/public-key-package";
import { signShare } from "../src/sign-share";
import { verifyGroupSignature } from "../src/verify-signature";
import { verifySignatureShares } from "../src/verify-share";
import type { KeyPackage, PublicKeyPackage, SignatureShare } from "../src/wire-types";
import { runDkg } from "./helpers";

const DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

function sign(
  keys: Map<number, KeyPackage>,
  pub: PublicKeyPackage,
  signers: number[],
  message: string,
) {
  const rounds = signers.map((i) => {
    const key = keys.get(i);
    if (!key) throw new Error("no key");
    return { key, ...commit(key) };
  });
  const signingPackage = { message, commitments: rounds.map((r) => r.commitments) };
  const shares: SignatureShare[] = rounds.map((r) =>
    signShare({ keyPackage: r.key, publicKeyPackage: pub, nonces: r.nonces, signingPackage }),
  );
  return { signingPackage, shares };
}

describe.each([
  [2, 3],
  [3, 5],
])("%i-of-%i DKG and signing", (t, n) => {
  const { round1, keys, reports } = runDkg(t, n);
  const pub = reports.get(1) as PublicKeyPackage;

  it("every guardian reports the same public key package, equal to the server's derivation", () => {
    const derived = derivePublicKeyPackage(round1, { threshold: t, participants: n });
    expect(reports.size).toBe(n);
    for (const report of reports.values()) expect(samePublicKeyPackage(report, derived)).toBe(true);
    for (const [i, key] of keys)
      expect(key.verifyingShare).toBe(derived.verifyingShares[String(i)]);
  });

  it("t signers produce a signature a plain BIP340 verifier accepts", () => {
    const signers = Array.from({ length: t }, (_, i) => n - i);
    const { signingPackage, shares } = sign(keys, pub, signers, DIGEST);
    expect(verifySignatureShares(pub, signingPackage, shares)).toEqual({
      valid: [...signers].sort((a, b) => a - b),
      invalid: [],
    });
    const signature = aggregateSignature(pub, signingPackage, shares);
    expect(
      schnorr.verify(
        Buffer.from(signature, "hex"),
        Buffer.from(DIGEST, "hex"),
        Buffer.from(pub.groupPublicKeyXOnly, "hex"),
      ),
    ).toBe(true);
    expect(
      verifyGroupSignature({
        groupPublicKeyXOnly: pub.groupPublicKeyXOnly,
        message: DIGEST,
        signature,
      }),
    ).toBe(true);
    const otherDigest = DIGEST.replace(/^9f/, "00");
    expect(
      verifyGroupSignature({
        groupPublicKeyXOnly: pub.groupPublicKeyXOnly,
        message: otherDigest,
        signature,
      }),
    ).toBe(false);
  });

  it("all n signers also produce a valid signature", () => {
    const signers = Array.from({ length: n }, (_, i) => i + 1);
    const { signingPackage, shares } = sign(keys, pub, signers, DIGEST);
    const signature = aggregateSignature(pub, signingPackage, shares);
    expect(
      verifyGroupSignature({
        groupPublicKeyXOnly: pub.groupPublicKeyXOnly,
        message: DIGEST,
        signature,
      }),
    ).toBe(true);
  });
});

describe("DKG misbehaviour", () => {
  it("round 3 names the guardian whose secret share does not match its commitments", () => {
    const params = { threshold: 2, participants: 3 };
    const r = [1, 2, 3].map((guardianIndex) => dkgRound1({ guardianIndex, ...params }));
    const publics = r.map((x) => x.publicPackage);
    const others = (i: number) => publics.filter((p) => p.sender !== i);
    const mail = r.flatMap((x) =>
      dkgRound2(x.secretPackage, others(x.secretPackage.guardianIndex)),
    );
    const inbox = mail
      .filter((m) => m.recipient === 1)
      .map((m) =>
        m.sender === 3
          ? {
              ...m,
              signingShare:
                mail.find((x) => x.sender === 2 && x.recipient === 1)?.signingShare ?? "",
            }
          : m,
      );
    const secret = r[0]?.secretPackage;
    if (!secret) throw new Error("missing");
    let caught: unknown;
    try {
      dkgRound3(secret, others(1), inbox);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FrostProtocolError);
    expect((caught as FrostProtocolError).culprit).toBe(3);
  });

  it("round 2 refuses a round-1 package with a forged proof of knowledge", () => {
    const params = { threshold: 2, participants: 3 };
    const r = [1, 2, 3].map((guardianIndex) => dkgRound1({ guardianIndex, ...params }));
    const [a, b, c] = r;
    if (!a || !b || !c) throw new Error("missing");
    const forged = { ...b.publicPackage, proofOfKnowledge: c.publicPackage.proofOfKnowledge };
    expect(() => dkgRound2(a.secretPackage, [forged, c.publicPackage])).toThrow(/proofOfKnowledge/);
  });
});
