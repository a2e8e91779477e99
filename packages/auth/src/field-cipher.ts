import { randomBytes } from "node:crypto";
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";

// Envelope encryption of sensitive columns. A key-encryption key (KEK), derived from the
// DATA_ENCRYPTION_KEY secret, wraps random 32-byte data keys; the data keys encrypt the
// fields. XChaCha20-Poly1305: random 192-bit nonces cannot collide in practice, so no
// counter has to be kept across processes. A stored field names its data key, and its
// associated data binds it to its table, column and row: a ciphertext copied to another
// row, column or table does not decrypt.

const FIELD_PREFIX = "cf1";
const NONCE_BYTES = 24;
const KEY_BYTES = 32;
const KID = /^[A-Za-z0-9_-]{1,64}$/;
const encoder = new TextEncoder();

export type FieldContext = { table: string; column: string; rowId: string };

export type DataKey = { kid: string; key: Uint8Array };

/** The data keys a process can use: the newest encrypts, every one decrypts. */
export type DataKeyRing = { active: DataKey; byKid: ReadonlyMap<string, DataKey> };

/** A key-encryption key and its public fingerprint, stored beside what it wraps. */
export type KeyEncryptionKey = { id: string; key: Uint8Array };

/** A stored value that does not decrypt: names where it is, never what it holds. */
export class FieldDecryptionError extends Error {
  constructor(
    readonly where: string,
    readonly reason: "malformed" | "unknown_key" | "authentication_failed",
  ) {
    super(`encrypted field ${where} does not decrypt (${reason})`);
    this.name = "FieldDecryptionError";
  }
}

function associatedData(...parts: string[]): Uint8Array {
  return encoder.encode(parts.join("\0"));
}

function seal(key: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): string {
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
  return Buffer.concat([nonce, sealed]).toString("base64url");
}

function open(key: Uint8Array, aad: Uint8Array, encoded: string): Uint8Array | null {
  const bytes = Buffer.from(encoded, "base64url");
  if (bytes.length <= NONCE_BYTES || bytes.toString("base64url") !== encoded) return null;
  try {
    return xchacha20poly1305(key, bytes.subarray(0, NONCE_BYTES), aad).decrypt(
      bytes.subarray(NONCE_BYTES),
    );
  } catch {
    return null;
  }
}

/** The KEK from the secret's text (any strong string, like the other secrets). */
export function deriveKeyEncryptionKey(secret: string): KeyEncryptionKey {
  const key = hkdf(
    sha256,
    encoder.encode(secret),
    undefined,
    encoder.encode("conclave-data-kek-v1"),
    KEY_BYTES,
  );
  const id = Buffer.from(sha256(key)).toString("hex").slice(0, 16);
  return { id, key };
}

export function generateDataKey(): DataKey {
  return { kid: `dk-${randomBytes(9).toString("base64url")}`, key: randomBytes(KEY_BYTES) };
}

export function wrapDataKey(kek: KeyEncryptionKey, dataKey: DataKey): string {
  return seal(kek.key, associatedData("conclave-data-key-v1", dataKey.kid), dataKey.key);
}

export function unwrapDataKey(kek: KeyEncryptionKey, kid: string, wrapped: string): DataKey {
  const key = open(kek.key, associatedData("conclave-data-key-v1", kid), wrapped);
  if (key?.length !== KEY_BYTES)
    throw new FieldDecryptionError(`DataKey ${kid}`, "authentication_failed");
  return { kid, key };
}

function fieldAad(context: FieldContext): Uint8Array {
  return associatedData("conclave-field-v1", context.table, context.column, context.rowId);
}

const where = (context: FieldContext) => `${context.table}.${context.column} of ${context.rowId}`;

export function encryptField(ring: DataKeyRing, context: FieldContext, plaintext: string): string {
  const sealed = seal(ring.active.key, fieldAad(context), encoder.encode(plaintext));
  return `${FIELD_PREFIX}.${ring.active.kid}.${sealed}`;
}

/** The data key a stored value was encrypted with; null for anything not encrypted here. */
export function fieldKid(stored: string): string | null {
  const [prefix, kid, sealed, extra] = stored.split(".");
  if (prefix !== FIELD_PREFIX || kid === undefined || !KID.test(kid)) return null;
  return sealed === undefined || sealed === "" || extra !== undefined ? null : kid;
}

export function decryptField(ring: DataKeyRing, context: FieldContext, stored: string): string {
  const kid = fieldKid(stored);
  if (kid === null) throw new FieldDecryptionError(where(context), "malformed");
  const dataKey = ring.byKid.get(kid);
  if (!dataKey) throw new FieldDecryptionError(where(context), "unknown_key");
  const plaintext = open(dataKey.key, fieldAad(context), stored.split(".")[2] ?? "");
  if (plaintext === null) throw new FieldDecryptionError(where(context), "authentication_failed");
  return new TextDecoder("utf-8", { fatal: true }).decode(plaintext);
}
