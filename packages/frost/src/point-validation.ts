import { schnorr } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { POINT_BYTES, SCALAR_BYTES, X_ONLY_BYTES } from "./ciphersuite";
import { FrostInputError } from "./errors";
import { decodeHex } from "./hex-codec";

const Point = schnorr.Point;
type SecpPoint = InstanceType<typeof Point>;

/**
 * Decodes a SEC1 compressed secp256k1 point (33 bytes, prefix 02/03) that lies on the
 * curve and is not the identity. secp256k1 has cofactor 1, so on-curve implies the
 * prime-order subgroup.
 */
export function decodePoint(value: unknown, field: string): SecpPoint {
  const bytes = decodeHex(value, POINT_BYTES, field);
  if (bytes[0] !== 0x02 && bytes[0] !== 0x03) {
    throw new FrostInputError(field, "not-on-curve", "expected a compressed point (02/03 prefix)");
  }
  let point: SecpPoint;
  try {
    point = Point.fromBytes(bytes);
    point.assertValidity();
  } catch {
    throw new FrostInputError(field, "not-on-curve", "not a point on secp256k1");
  }
  if (point.is0()) throw new FrostInputError(field, "identity", "identity point not allowed");
  return point;
}

/** Decodes a BIP340 x-only public key (32 bytes) to its even-Y point. */
export function decodeXOnlyPoint(value: unknown, field: string): SecpPoint {
  const bytes = decodeHex(value, X_ONLY_BYTES, field);
  try {
    return schnorr.utils.lift_x(bytesToNumberBE(bytes));
  } catch {
    throw new FrostInputError(field, "not-on-curve", "not an x coordinate on secp256k1");
  }
}

/** Decodes a canonical scalar: 32 bytes big-endian, 0 < s < n. */
export function decodeScalar(value: unknown, field: string): bigint {
  const bytes = decodeHex(value, SCALAR_BYTES, field);
  const scalar = bytesToNumberBE(bytes);
  if (scalar === 0n || scalar >= Point.Fn.ORDER) {
    throw new FrostInputError(field, "range", "scalar out of range");
  }
  return scalar;
}
