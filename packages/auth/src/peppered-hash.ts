import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * What a peppered hash protects. The purpose is mixed into the MAC input, so a hash
 * computed for one kind of secret never matches another kind even if an operator
 * reuses one pepper for several purposes.
 */
export type PepperPurpose = "invitation-code" | "refresh-token" | "api-key";

const DOMAIN = "conclave-peppered-v1";
export const MIN_PEPPER_BYTES = 32;

function pepperBytes(pepper: string | Uint8Array): Uint8Array {
  const bytes = typeof pepper === "string" ? Buffer.from(pepper, "utf8") : pepper;
  if (bytes.byteLength < MIN_PEPPER_BYTES) {
    throw new RangeError(`a pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
  }
  return bytes;
}

/**
 * HMAC-SHA256(pepper, "conclave-peppered-v1" 0x00 purpose 0x00 value), lowercase hex.
 * These secrets carry >= 128 random bits, so a fast keyed hash suffices (no
 * password-style stretching); the pepper lives outside the database, so a database
 * dump alone does not even allow checking a guess.
 *
 * Inputs by purpose: the canonical invitation code (normalizeInvitationCode), the
 * refresh token as issued, and the FULL API key `ck_<id>_<secret>` so that a secret
 * cannot be replayed under another key's prefix.
 */
export function pepperedHash(
  pepper: string | Uint8Array,
  purpose: PepperPurpose,
  value: string,
): string {
  return createHmac("sha256", pepperBytes(pepper))
    .update(`${DOMAIN}\0${purpose}\0`, "utf8")
    .update(value, "utf8")
    .digest("hex");
}

/**
 * Constant-time string equality. The length check leaks only the length, which for
 * hex digests is public anyway.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/** Recomputes the peppered hash of `value` and compares it with `expectedHex` in constant time. */
export function verifyPepperedHash(
  pepper: string | Uint8Array,
  purpose: PepperPurpose,
  value: string,
  expectedHex: string,
): boolean {
  return constantTimeEqual(pepperedHash(pepper, purpose, value), expectedHex);
}
