import { schnorr, schnorr_FROST } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { commit } from "../src/commit";
import { dkgRound1 } from "../src/dkg";
import { FrostInputError } from "../src/errors";
import { decodeHex } from "../src/hex-codec";
import { guardianIdentifier, guardianIndexOf } from "../src/identifiers";
import { decodePoint, decodeScalar, decodeXOnlyPoint } from "../src/point-validation";
import { validateDkgRound1Package } from "../src/validate-dkg-round1";
import { verifyGroupSignature } from "../src/verify-signature";
import { verifySignatureShare } from "../src/verify-share";
import type { DkgRound1Package, PublicKeyPackage } from "../src/wire-types";
import { runDkg } from "./helpers";

const G = schnorr.Point.BASE.toBytes();
const G_HEX = Buffer.from(G).toString("hex");
const N = schnorr.Point.Fn.ORDER;

function inputError(fn: () => unknown): FrostInputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FrostInputError) return error;
    throw error;
  }
  throw new Error("expected FrostInputError");
}

describe("hex codec", () => {
  it("accepts exact-length lowercase hex", () => {
    expect(decodeHex("00ff", 2, "f")).toEqual(Uint8Array.from([0, 255]));
  });
  it.each([
    ["uppercase", "00FF", "hex"],
    ["non-hex", "00gg", "hex"],
    ["short", "00", "length"],
    ["long", "00ff00", "length"],
    ["odd length", "00f", "length"],
    ["0x prefix", "0xff", "hex"],
    ["whitespace", " 0ff", "hex"],
  ])("rejects %s", (_name, value, reason) => {
    expect(inputError(() => decodeHex(value, 2, "field")).reason).toBe(reason);
  });
  it("rejects non-strings", () => {
    expect(inputError(() => decodeHex(42, 2, "field")).reason).toBe("type");
  });
});

describe("points and scalars", () => {
  it("accepts the generator", () => {
    expect(decodePoint(G_HEX, "p").equals(schnorr.Point.BASE)).toBe(true);
  });
  it("rejects an uncompressed encoding", () => {
    const uncompressed = Buffer.from(schnorr.Point.BASE.toBytes(false)).toString("hex");
    expect(inputError(() => decodePoint(uncompressed, "p")).reason).toBe("length");
  });
  it("rejects a bad prefix", () => {
    expect(inputError(() => decodePoint(`04${G_HEX.slice(2)}`, "p")).reason).toBe("not-on-curve");
  });
  it("rejects an x coordinate that is not on the curve", () => {
    // x = 5: 125 + 7 = 132 is not a square mod p.
    expect(inputError(() => decodePoint(`02${"00".repeat(31)}05`, "p")).reason).toBe(
      "not-on-curve",
    );
  });
  it("rejects the all-zero encoding (no identity encoding exists in compressed form)", () => {
    expect(inputError(() => decodePoint("00".repeat(33), "p")).reason).toBe("not-on-curve");
  });
  it("rejects an x-only key off the curve and x >= p", () => {
    expect(inputError(() => decodeXOnlyPoint(`${"00".repeat(31)}05`, "k")).reason).toBe(
      "not-on-curve",
    );
    expect(inputError(() => decodeXOnlyPoint("ff".repeat(32), "k")).reason).toBe("not-on-curve");
  });
  it("rejects scalars 0 and >= n", () => {
    expect(inputError(() => decodeScalar("00".repeat(32), "s")).reason).toBe("range");
    expect(inputError(() => decodeScalar(N.toString(16), "s")).reason).toBe("range");
    expect(decodeScalar((N - 1n).toString(16), "s")).toBe(N - 1n);
  });
  it("never echoes the rejected value in the message", () => {
    const secretLike = "ab".repeat(31) + "zz";
    const error = inputError(() => decodeScalar(secretLike, "keyPackage.signingShare"));
    expect(error.message).not.toContain(secretLike);
    expect(error.message).not.toContain("abab");
    expect(error.field).toBe("keyPackage.signingShare");
  });
});

describe("guardian identifiers", () => {
  it("maps index i to the 32-byte big-endian scalar i and back", () => {
    expect(guardianIdentifier(1)).toBe(`${"00".repeat(31)}01`);
    expect(guardianIdentifier(15)).toBe(`${"00".repeat(31)}0f`);
    expect(guardianIndexOf(guardianIdentifier(7))).toBe(7);
  });
  it.each([0, -1, 1.5, 256, Number.NaN])("rejects index %s", (index) => {
    expect(inputError(() => guardianIdentifier(index)).reason).toBe("range");
  });
  it("rejects a non-canonical identifier", () => {
    expect(inputError(() => guardianIndexOf(`${"00".repeat(31)}0F`)).reason).toBe("range");
  });
});

describe("server-side round-1 validation", () => {
  const params = { threshold: 3, participants: 4 };
  const valid = dkgRound1({ guardianIndex: 2, ...params }).publicPackage;
  const check = (pkg: DkgRound1Package) =>
    inputError(() => {
      validateDkgRound1Package(pkg, params);
    });

  it("accepts an honest package", () => {
    expect(() => {
      validateDkgRound1Package(valid, params);
    }).not.toThrow();
  });
  it("rejects a proof replayed under another sender index", () => {
    expect(check({ ...valid, sender: 3 }).reason).toBe("proof-of-knowledge");
  });
  it("rejects a proof with a flipped bit", () => {
    const flipped =
      valid.proofOfKnowledge.slice(0, -1) + (valid.proofOfKnowledge.endsWith("0") ? "1" : "0");
    expect(check({ ...valid, proofOfKnowledge: flipped }).reason).toBe("proof-of-knowledge");
  });
  it("rejects a proof whose response is >= n", () => {
    expect(
      check({ ...valid, proofOfKnowledge: valid.proofOfKnowledge.slice(0, 64) + "ff".repeat(32) })
        .reason,
    ).toBe("range");
  });
  it("rejects a wrong number of commitments", () => {
    expect(check({ ...valid, commitments: valid.commitments.slice(1) }).reason).toBe("count");
    expect(check({ ...valid, commitments: [...valid.commitments, G_HEX] }).reason).toBe("count");
  });
  it("rejects an off-curve commitment", () => {
    const commitments = [...valid.commitments];
    commitments[1] = `02${"00".repeat(31)}05`;
    const error = check({ ...valid, commitments });
    expect(error.reason).toBe("not-on-curve");
    expect(error.field).toBe("round1Package.commitments.1");
  });
  it("rejects a substituted constant commitment", () => {
    expect(check({ ...valid, commitments: [G_HEX, ...valid.commitments.slice(1)] }).reason).toBe(
      "proof-of-knowledge",
    );
  });
  it("rejects a sender outside 1..n", () => {
    expect(check({ ...valid, sender: 5 }).reason).toBe("range");
  });
});

describe("signing inputs", () => {
  const { keys, reports } = runDkg(2, 3);
  const pub = reports.get(1) as PublicKeyPackage;
  const key = keys.get(1);
  if (!key) throw new Error("missing");
  const c1 = commit(key).commitments;
  const c2 = commit(keys.get(2) ?? key).commitments;
  const share = { signer: 1, share: "01".repeat(32) };

  it("rejects a signing package with a duplicate signer", () => {
    const signingPackage = { message: "aa", commitments: [c1, { ...c2, signer: 1 }] };
    expect(
      inputError(() => verifySignatureShare({ publicKeyPackage: pub, signingPackage, share }))
        .reason,
    ).toBe("duplicate");
  });
  it("rejects fewer than threshold signers", () => {
    const signingPackage = { message: "aa", commitments: [c1] };
    expect(
      inputError(() => verifySignatureShare({ publicKeyPackage: pub, signingPackage, share }))
        .reason,
    ).toBe("count");
  });
  it("rejects an identity-free but off-curve nonce commitment", () => {
    const signingPackage = {
      message: "aa",
      commitments: [{ ...c1, binding: `03${"00".repeat(31)}05` }, c2],
    };
    expect(
      inputError(() => verifySignatureShare({ publicKeyPackage: pub, signingPackage, share }))
        .field,
    ).toBe("signingPackage.commitments.0.binding");
  });
  it("rejects a share from a guardian outside the signer set", () => {
    const signingPackage = { message: "aa", commitments: [c1, c2] };
    expect(
      inputError(() =>
        verifySignatureShare({
          publicKeyPackage: pub,
          signingPackage,
          share: { ...share, signer: 3 },
        }),
      ).reason,
    ).toBe("unexpected");
  });
  it("rejects an empty message and a public key package with a wrong x-only key", () => {
    const signingPackage = { message: "", commitments: [c1, c2] };
    expect(
      inputError(() => verifySignatureShare({ publicKeyPackage: pub, signingPackage, share }))
        .reason,
    ).toBe("length");
    const badPub = { ...pub, groupPublicKeyXOnly: G_HEX.slice(2) };
    expect(
      inputError(() =>
        verifySignatureShare({
          publicKeyPackage: badPub,
          signingPackage: { ...signingPackage, message: "aa" },
          share,
        }),
      ).reason,
    ).toBe("unexpected");
  });
  it("rejects a malformed group signature", () => {
    expect(
      inputError(() =>
        verifyGroupSignature({
          groupPublicKeyXOnly: pub.groupPublicKeyXOnly,
          message: "aa",
          signature: "00",
        }),
      ).reason,
    ).toBe("length");
  });
});

describe("round-1 validation agrees with @noble's own DKG check", () => {
  const params = { threshold: 2, participants: 3 };
  const a = dkgRound1({ guardianIndex: 1, ...params });
  const b = dkgRound1({ guardianIndex: 2, ...params }).publicPackage;
  const c = dkgRound1({ guardianIndex: 3, ...params }).publicPackage;
  const toLib = (p: DkgRound1Package) => ({
    identifier: guardianIdentifier(p.sender),
    commitment: p.commitments.map((x) => Uint8Array.from(Buffer.from(x, "hex"))),
    proofOfKnowledge: Uint8Array.from(Buffer.from(p.proofOfKnowledge, "hex")),
  });
  const libraryAccepts = (p: DkgRound1Package) => {
    const secret = {
      identifier: 1n,
      coefficients: a.secretPackage.coefficients.map((x) => BigInt(`0x${x}`)),
      commitment: a.secretPackage.commitments.map((x) => Uint8Array.from(Buffer.from(x, "hex"))),
      signers: { min: 2, max: 3 },
      step: 1 as const,
    };
    try {
      schnorr_FROST.DKG.round2(secret, [toLib(p), toLib(c)]);
      return true;
    } catch {
      return false;
    }
  };
  const oursAccepts = (p: DkgRound1Package) => {
    try {
      validateDkgRound1Package(p, params);
      return true;
    } catch {
      return false;
    }
  };
  const flip = (h: string, at: number) =>
    h.slice(0, at) + (h[at] === "0" ? "1" : "0") + h.slice(at + 1);
  it.each([
    ["honest", b],
    ["proof from another guardian", { ...b, proofOfKnowledge: c.proofOfKnowledge }],
    ["sender changed", { ...b, sender: 3 }],
    ["nonce x flipped", { ...b, proofOfKnowledge: flip(b.proofOfKnowledge, 10) }],
    ["response flipped", { ...b, proofOfKnowledge: flip(b.proofOfKnowledge, 100) }],
    [
      "constant commitment swapped",
      { ...b, commitments: [c.commitments[0] ?? "", b.commitments[1] ?? ""] },
    ],
  ])("%s", (_name, pkg) => {
    expect(oursAccepts(pkg)).toBe(libraryAccepts(pkg));
  });
  it("the honest case is accepted by both", () => {
    expect(oursAccepts(b) && libraryAccepts(b)).toBe(true);
  });
});
