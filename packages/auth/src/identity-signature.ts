import { ed25519 } from "@noble/curves/ed25519.js";

const HEX_PUBLIC_KEY = /^[0-9a-f]{64}$/i;
const HEX_SIGNATURE = /^[0-9a-f]{128}$/i;

/** True when `publicKeyHex` is a usable identity key: 32 bytes, on the curve, not small order. */
export function isValidIdentityPublicKey(publicKeyHex: string): boolean {
  if (!HEX_PUBLIC_KEY.test(publicKeyHex)) return false;
  try {
    return !ed25519.Point.fromHex(publicKeyHex.toLowerCase(), false).isSmallOrder();
  } catch {
    return false;
  }
}

/**
 * Strict Ed25519 verification: lowercase or uppercase hex of exactly 32 and 64 bytes,
 * canonical encodings only (RFC 8032, not ZIP-215), small-order keys refused. The one
 * verifier of identity-key signatures, on the server and in the client (challenges, DKG
 * round keys, round-2 envelopes). False for any malformed input; never throws.
 */
export function verifyIdentitySignature(
  publicKeyHex: string,
  message: Uint8Array,
  signatureHex: string,
): boolean {
  if (!HEX_SIGNATURE.test(signatureHex) || !isValidIdentityPublicKey(publicKeyHex)) return false;
  try {
    return ed25519.verify(
      Buffer.from(signatureHex, "hex"),
      message,
      Buffer.from(publicKeyHex, "hex"),
      { zip215: false },
    );
  } catch {
    return false;
  }
}
