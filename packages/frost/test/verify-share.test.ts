import { schnorr } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { aggregateSignature } from "../src/aggregate";
import { commit } from "../src/commit";
import { FrostAggregationError, FrostProtocolError } from "../src/errors";
import { signShare } from "../src/sign-share";
import { verifyGroupSignature } from "../src/verify-signature";
import { verifySignatureShare, verifySignatureShares } from "../src/verify-share";
import type { PublicKeyPackage, SignatureShare, SigningPackage } from "../src/wire-types";
import { runDkg } from "./helpers";

const DIGEST = "aa".repeat(32);
const { keys, reports } = runDkg(3, 5);
const pub = reports.get(1) as PublicKeyPackage;

function attempt(signers: number[]): { signingPackage: SigningPackage; shares: SignatureShare[] } {
  const rounds = signers.map((i) => {
    const key = keys.get(i);
    if (!key) throw new Error("no key");
    return { key, ...commit(key) };
  });
  const signingPackage = { message: DIGEST, commitments: rounds.map((r) => r.commitments) };
  const shares = rounds.map((r) =>
    signShare({ keyPackage: r.key, publicKeyPackage: pub, nonces: r.nonces, signingPackage }),
  );
  return { signingPackage, shares };
}

/** Adds one to a scalar share: still well-formed, but wrong. */
function corrupt(share: SignatureShare): SignatureShare {
  const value = (BigInt(`0x${share.share}`) + 1n) % schnorr.Point.Fn.ORDER;
  return { ...share, share: value.toString(16).padStart(64, "0") };
}

describe("coordinator share verification", () => {
  it("accepts honest shares one by one", () => {
    const { signingPackage, shares } = attempt([1, 2, 3]);
    for (const share of shares)
      expect(verifySignatureShare({ publicKeyPackage: pub, signingPackage, share })).toBe(true);
  });

  it("detects a corrupted share and names its signer", () => {
    const { signingPackage, shares } = attempt([1, 2, 4]);
    const tampered = shares.map((s) => (s.signer === 2 ? corrupt(s) : s));
    expect(verifySignatureShares(pub, signingPackage, tampered)).toEqual({
      valid: [1, 4],
      invalid: [2],
    });
    const bad = tampered.find((s) => s.signer === 2);
    if (!bad) throw new Error("missing");
    expect(verifySignatureShare({ publicKeyPackage: pub, signingPackage, share: bad })).toBe(false);
  });

  it("a valid share replayed under another signer's name is attributed to that signer", () => {
    const { signingPackage, shares } = attempt([1, 2, 3]);
    const share1 = shares.find((s) => s.signer === 1)?.share ?? "";
    const tampered = shares.map((s) => (s.signer === 3 ? { signer: 3, share: share1 } : s));
    expect(verifySignatureShares(pub, signingPackage, tampered).invalid).toEqual([3]);
  });

  it("a missing or malformed share counts against its signer", () => {
    const { signingPackage, shares } = attempt([2, 3, 5]);
    const withoutFive = shares.filter((s) => s.signer !== 5);
    expect(verifySignatureShares(pub, signingPackage, withoutFive).invalid).toEqual([5]);
    const malformed = shares.map((s) => (s.signer === 3 ? { signer: 3, share: "zz" } : s));
    expect(verifySignatureShares(pub, signingPackage, malformed).invalid).toEqual([3]);
  });

  it("aggregation refuses a corrupted share, naming the signer; a new signer set then succeeds", () => {
    const first = attempt([1, 2, 3]);
    const tampered = first.shares.map((s) => (s.signer === 3 ? corrupt(s) : s));
    let caught: unknown;
    try {
      aggregateSignature(pub, first.signingPackage, tampered);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FrostAggregationError);
    expect((caught as FrostAggregationError).invalidSigners).toEqual([3]);

    const retry = attempt([1, 2, 4]);
    const signature = aggregateSignature(pub, retry.signingPackage, retry.shares);
    expect(
      verifyGroupSignature({
        groupPublicKeyXOnly: pub.groupPublicKeyXOnly,
        message: DIGEST,
        signature,
      }),
    ).toBe(true);
  });

  it("signShare refuses nonces that are not this guardian's commitments in the package", () => {
    const key = keys.get(1);
    const other = keys.get(2);
    if (!key || !other) throw new Error("missing");
    const mine = commit(key);
    const theirs = commit(other);
    const signingPackage = {
      message: DIGEST,
      commitments: [
        { ...mine.commitments, hiding: theirs.commitments.hiding },
        theirs.commitments,
        commit(keys.get(3) ?? key).commitments,
      ],
    };
    expect(() =>
      signShare({ keyPackage: key, publicKeyPackage: pub, nonces: mine.nonces, signingPackage }),
    ).toThrow(FrostProtocolError);
  });
});
