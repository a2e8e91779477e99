import { z } from "zod";

/**
 * Lowercase hex of exactly `bytes` bytes. Lowercase only, no 0x prefix: one value has
 * one wire spelling, so equality checks and idempotency keys can compare strings.
 */
export function hexSchema(bytes: number) {
  if (!Number.isInteger(bytes) || bytes < 1)
    throw new RangeError("hexSchema: bytes must be a positive integer");
  return z
    .string()
    .length(bytes * 2, `expected ${bytes} bytes of hex`)
    .regex(/^[0-9a-f]*$/, "expected lowercase hex");
}

export const hex32Schema = hexSchema(32);
/** SEC1 compressed secp256k1 point; curve membership is checked by @conclave/frost. */
export const compressedPointHexSchema = hexSchema(33).regex(
  /^0[23]/,
  "expected a compressed point",
);
export const signatureHex64Schema = hexSchema(64);
