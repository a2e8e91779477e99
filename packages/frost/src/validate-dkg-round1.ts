import { schnorr, secp256k1_hasher } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE, concatBytes } from "@noble/curves/utils.js";
import { DKG_CHALLENGE_DST, PROOF_OF_KNOWLEDGE_BYTES } from "./ciphersuite";
import { FrostInputError } from "./errors";
import { decodeHex } from "./hex-codec";
import { assertGuardianIndex, assertThreshold } from "./identifiers";
import { decodePoint } from "./point-validation";
import type { DkgRound1Package, FrostGroupParams } from "./wire-types";

const Point = schnorr.Point;
const Fn = Point.Fn;

/**
 * Server-side check of a public DKG round-1 package, before it is relayed:
 * sender in 1..n, exactly `threshold` commitments, each a valid non-identity
 * compressed point, and a valid proof of knowledge of the constant coefficient.
 *
 * The proof check mirrors what `schnorr_FROST.DKG.round2` does (@noble/curves 2.4,
 * frost-rs compatible): R = lift_x(proof[0..32]), z = proof[32..64],
 * c = hash_to_field(id || C0 || R, DST = "FROST-secp256k1-SHA256-TR-v1dkg") with
 * id = 32-byte big-endian sender index and points compressed; accept iff R = z*G - c*C0.
 * The library keeps that check internal, so it is restated here; tests hold the two to
 * the same verdicts.
 */
export function validateDkgRound1Package(
  pkg: DkgRound1Package,
  params: FrostGroupParams,
  field = "round1Package",
): void {
  assertThreshold(params.threshold, params.participants);
  const sender = assertGuardianIndex(pkg.sender, `${field}.sender`, params.participants);
  if (!Array.isArray(pkg.commitments)) {
    throw new FrostInputError(`${field}.commitments`, "type", "expected an array");
  }
  if (pkg.commitments.length !== params.threshold) {
    throw new FrostInputError(
      `${field}.commitments`,
      "count",
      "expected exactly threshold commitments",
    );
  }
  const commitments = pkg.commitments.map((c, i) => decodePoint(c, `${field}.commitments.${i}`));
  const constantTerm = commitments[0];
  if (constantTerm === undefined) {
    throw new FrostInputError(
      `${field}.commitments`,
      "count",
      "expected exactly threshold commitments",
    );
  }

  const proofField = `${field}.proofOfKnowledge`;
  const proof = decodeHex(pkg.proofOfKnowledge, PROOF_OF_KNOWLEDGE_BYTES, proofField);
  let R: InstanceType<typeof Point>;
  try {
    R = schnorr.utils.lift_x(bytesToNumberBE(proof.subarray(0, 32)));
  } catch {
    throw new FrostInputError(
      proofField,
      "not-on-curve",
      "nonce is not an x coordinate on secp256k1",
    );
  }
  const z = bytesToNumberBE(proof.subarray(32));
  if (z >= Fn.ORDER) throw new FrostInputError(proofField, "range", "response scalar out of range");

  const challenge = secp256k1_hasher.hashToScalar(
    concatBytes(Fn.toBytes(BigInt(sender)), constantTerm.toBytes(), R.toBytes()),
    { DST: DKG_CHALLENGE_DST },
  );
  const zG = z === 0n ? Point.ZERO : Point.BASE.multiplyUnsafe(z);
  const expected = zG.subtract(constantTerm.multiplyUnsafe(challenge));
  if (!expected.equals(R)) {
    throw new FrostInputError(
      proofField,
      "proof-of-knowledge",
      "proof of knowledge does not verify",
    );
  }
}
