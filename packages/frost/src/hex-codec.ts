import { FrostInputError } from "./errors";

const LOWER_HEX = /^(?:[0-9a-f]{2})*$/;

/**
 * Decodes lowercase hex of exactly `byteLength` bytes. Only the canonical lowercase
 * form is accepted so that one value has one wire encoding (identifiers and
 * commitments are compared as strings).
 */
export function decodeHex(value: unknown, byteLength: number, field: string): Uint8Array {
  if (typeof value !== "string") throw new FrostInputError(field, "type", "expected a hex string");
  if (value.length !== byteLength * 2) {
    throw new FrostInputError(field, "length", `expected ${byteLength} bytes of hex`);
  }
  if (!LOWER_HEX.test(value)) throw new FrostInputError(field, "hex", "expected lowercase hex");
  return Uint8Array.from(Buffer.from(value, "hex"));
}

/** Decodes lowercase hex whose byte length lies in [minBytes, maxBytes]. */
export function decodeHexInRange(
  value: unknown,
  minBytes: number,
  maxBytes: number,
  field: string,
): Uint8Array {
  if (typeof value !== "string") throw new FrostInputError(field, "type", "expected a hex string");
  if (value.length % 2 !== 0 || value.length < minBytes * 2 || value.length > maxBytes * 2) {
    throw new FrostInputError(field, "length", `expected ${minBytes}..${maxBytes} bytes of hex`);
  }
  if (!LOWER_HEX.test(value)) throw new FrostInputError(field, "hex", "expected lowercase hex");
  return Uint8Array.from(Buffer.from(value, "hex"));
}

export function encodeHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}
