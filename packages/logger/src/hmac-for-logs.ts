import { createHmac } from "node:crypto";

const DOMAIN = "conclave-log-correlation-v1\0";
const MIN_KEY_BYTES = 32;

/**
 * A short, keyed fingerprint of a sensitive value (an IP, an invitation code, a token
 * family) so log lines about the same value can be correlated without revealing it.
 * HMAC rather than a plain hash: low-entropy values such as IPs or emails would fall
 * to a dictionary otherwise. 16 hex characters (64 bits) are plenty for correlation
 * and too short to be useful as a stored verifier.
 */
export function correlationHmac(key: string | Uint8Array, value: string): string {
  const keyBytes = typeof key === "string" ? Buffer.from(key, "utf8") : key;
  if (keyBytes.byteLength < MIN_KEY_BYTES) {
    throw new RangeError(`LOG_HMAC_KEY must be at least ${MIN_KEY_BYTES} bytes`);
  }
  return createHmac("sha256", keyBytes)
    .update(DOMAIN)
    .update(value, "utf8")
    .digest("hex")
    .slice(0, 16);
}
