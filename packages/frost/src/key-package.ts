import type { FrostSecret } from "@noble/curves/abstract/frost.js";
import { schnorr } from "@noble/curves/secp256k1.js";
import { SCALAR_BYTES } from "./ciphersuite";
import { FrostInputError } from "./errors";
import { decodeHex } from "./hex-codec";
import { assertGuardianIndex, assertThreshold, guardianIdentifier } from "./identifiers";
import { decodePoint, decodeScalar } from "./point-validation";
import type { KeyPackage } from "./wire-types";

/**
 * Checks a key package on its own (parameters, points, and that the signing share
 * matches the verifying share) and converts it to the library's form.
 */
export function decodeKeyPackageAlone(key: KeyPackage): FrostSecret {
  assertThreshold(key.threshold, key.participants);
  const index = assertGuardianIndex(
    key.guardianIndex,
    "keyPackage.guardianIndex",
    key.participants,
  );
  decodePoint(key.groupPublicKey, "keyPackage.groupPublicKey");
  const verifyingShare = decodePoint(key.verifyingShare, "keyPackage.verifyingShare");
  const share = decodeScalar(key.signingShare, "keyPackage.signingShare");
  if (!schnorr.Point.BASE.multiply(share).equals(verifyingShare)) {
    throw new FrostInputError(
      "keyPackage.signingShare",
      "unexpected",
      "does not match the verifying share",
    );
  }
  return {
    identifier: guardianIdentifier(index),
    signingShare: decodeHex(key.signingShare, SCALAR_BYTES, "keyPackage.signingShare"),
  } as FrostSecret;
}
