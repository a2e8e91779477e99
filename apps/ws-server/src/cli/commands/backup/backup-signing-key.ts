import { ed25519 } from "@noble/curves/ed25519.js";
import { verifyIdentitySignature } from "@conclave/auth/identity-signature";
import { ConfigError } from "@conclave/config/config-error";

const SEED_HEX = /^[0-9a-f]{64}$/u;
const PUBLIC_KEY_HEX = /^[0-9a-f]{64}$/u;

export interface BackupSigningKey {
  readonly publicKeyHex: string;
  sign(message: Uint8Array): string;
}

/**
 * BACKUP_SIGNING_KEY is a 32-byte Ed25519 seed as 64 lowercase hex characters
 * (`backup keygen` writes one). The error names the variable, never the value.
 */
export function parseBackupSigningKey(variable: string, value: string): BackupSigningKey {
  const seedHex = value.trim().toLowerCase();
  if (!SEED_HEX.test(seedHex)) {
    throw new ConfigError([{ variable, message: "must be 64 hex characters (a 32-byte seed)" }]);
  }
  const seed = Buffer.from(seedHex, "hex");
  return {
    publicKeyHex: Buffer.from(ed25519.getPublicKey(seed)).toString("hex"),
    sign: (message) => Buffer.from(ed25519.sign(message, seed)).toString("hex"),
  };
}

export function parseBackupSigningPublicKey(variable: string, value: string): string {
  const hex = value.trim().toLowerCase();
  if (!PUBLIC_KEY_HEX.test(hex)) {
    throw new ConfigError([{ variable, message: "must be 64 hex characters (an Ed25519 key)" }]);
  }
  return hex;
}

/** Strict RFC 8032 verification, the same verifier as identity-key signatures. */
export function verifyBackupSignature(
  publicKeyHex: string,
  message: Uint8Array,
  signatureHex: string,
): boolean {
  return verifyIdentitySignature(publicKeyHex, message, signatureHex);
}

export function generateBackupSigningSeed(): string {
  return Buffer.from(ed25519.utils.randomSecretKey()).toString("hex");
}
