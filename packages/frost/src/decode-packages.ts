import type { FrostPublic, FrostSecret, NonceCommitments } from "@noble/curves/abstract/frost.js";
import { schnorr } from "@noble/curves/secp256k1.js";
import { MAX_MESSAGE_BYTES } from "./ciphersuite";
import { FrostInputError } from "./errors";
import { decodeHex, decodeHexInRange, encodeHex } from "./hex-codec";
import { assertGuardianIndex, assertThreshold, guardianIdentifier } from "./identifiers";
import { decodeKeyPackageAlone } from "./key-package";
import { decodePoint } from "./point-validation";
import type { KeyPackage, PublicKeyPackage, SigningPackage } from "./wire-types";

/** Checks a public key package and converts it to the library's form. */
export function decodePublicKeyPackage(pkg: PublicKeyPackage): FrostPublic {
  assertThreshold(pkg.threshold, pkg.participants);
  const groupKey = decodePoint(pkg.groupPublicKey, "publicKeyPackage.groupPublicKey");
  const xOnly = decodeHex(pkg.groupPublicKeyXOnly, 32, "publicKeyPackage.groupPublicKeyXOnly");
  if (encodeHex(schnorr.utils.pointToBytes(groupKey)) !== encodeHex(xOnly)) {
    throw new FrostInputError(
      "publicKeyPackage.groupPublicKeyXOnly",
      "unexpected",
      "does not match groupPublicKey",
    );
  }
  const shares = pkg.verifyingShares as Record<string, unknown>;
  const keys = Object.keys(shares);
  if (keys.length !== pkg.participants) {
    throw new FrostInputError(
      "publicKeyPackage.verifyingShares",
      "count",
      "one share per guardian",
    );
  }
  const verifyingShares: Record<string, Uint8Array> = {};
  for (let index = 1; index <= pkg.participants; index++) {
    const field = `publicKeyPackage.verifyingShares.${index}`;
    if (!Object.hasOwn(shares, String(index))) {
      throw new FrostInputError(field, "missing", "verifying share missing");
    }
    verifyingShares[guardianIdentifier(index)] = decodePoint(
      shares[String(index)],
      field,
    ).toBytes();
  }
  return {
    signers: { min: pkg.threshold, max: pkg.participants },
    commitments: [groupKey.toBytes()],
    verifyingShares,
  } as FrostPublic;
}

/** Checks a key package against its public key package and converts it. */
export function decodeKeyPackage(key: KeyPackage, pub: PublicKeyPackage): FrostSecret {
  if (key.threshold !== pub.threshold || key.participants !== pub.participants) {
    throw new FrostInputError(
      "keyPackage",
      "unexpected",
      "group parameters differ from the public key package",
    );
  }
  if (
    key.groupPublicKey !== pub.groupPublicKey ||
    key.verifyingShare !== pub.verifyingShares[String(key.guardianIndex)]
  ) {
    throw new FrostInputError(
      "keyPackage",
      "unexpected",
      "keys differ from the public key package",
    );
  }
  return decodeKeyPackageAlone(key);
}

export interface DecodedSigningPackage {
  commitments: NonceCommitments[];
  message: Uint8Array;
  signers: number[];
}

/** Checks a signing package: threshold..participants distinct signers, valid points. */
export function decodeSigningPackage(
  pkg: SigningPackage,
  pub: Pick<PublicKeyPackage, "threshold" | "participants">,
): DecodedSigningPackage {
  if (!Array.isArray(pkg.commitments)) {
    throw new FrostInputError("signingPackage.commitments", "type", "expected an array");
  }
  const count = pkg.commitments.length;
  if (count < pub.threshold || count > pub.participants) {
    throw new FrostInputError(
      "signingPackage.commitments",
      "count",
      "expected threshold..participants signers",
    );
  }
  const seen = new Set<number>();
  const commitments = pkg.commitments.map((c, i): NonceCommitments => {
    const field = `signingPackage.commitments.${i}`;
    const signer = assertGuardianIndex(c.signer, `${field}.signer`, pub.participants);
    if (seen.has(signer))
      throw new FrostInputError(`${field}.signer`, "duplicate", "signer listed twice");
    seen.add(signer);
    return {
      identifier: guardianIdentifier(signer),
      hiding: decodePoint(c.hiding, `${field}.hiding`).toBytes(),
      binding: decodePoint(c.binding, `${field}.binding`).toBytes(),
    };
  });
  const message = decodeHexInRange(pkg.message, 1, MAX_MESSAGE_BYTES, "signingPackage.message");
  return { commitments, message, signers: [...seen] };
}
