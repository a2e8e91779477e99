import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import { round2EnvelopeAad, type Round2EnvelopeHeader } from "./dkg-signed-messages";

// X25519 + HKDF-SHA256 + ChaCha20-Poly1305, as dkg-signed-messages.ts documents it:
// ciphertext = ephemeralPublicKey (32) || nonce (12) || AEAD(share) || tag (16), hex.

const X25519_SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");

export interface RoundKey {
  readonly publicKeyHex: string;
  readonly privateKey: KeyObject;
}

function publicHex(key: KeyObject): string {
  return (key.export({ format: "der", type: "spki" }) as Buffer).subarray(-32).toString("hex");
}

function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([X25519_SPKI_PREFIX, Buffer.from(hex, "hex")]),
    format: "der",
    type: "spki",
  });
}

/** A fresh X25519 key for one ceremony; the private half never leaves memory. */
export function generateRoundKey(): RoundKey {
  const pair = generateKeyPairSync("x25519");
  return { publicKeyHex: publicHex(pair.publicKey), privateKey: pair.privateKey };
}

function envelopeKey(shared: Buffer, aad: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", shared, Buffer.alloc(0), aad, 32));
}

export function sealEnvelope(header: Round2EnvelopeHeader, plaintext: Buffer): string {
  const ephemeral = generateKeyPairSync("x25519");
  const shared = diffieHellman({
    privateKey: ephemeral.privateKey,
    publicKey: publicKeyFromHex(header.recipientRoundKey),
  });
  const aad = Buffer.from(round2EnvelopeAad(header));
  const nonce = randomBytes(12);
  const cipher = createCipheriv("chacha20-poly1305", envelopeKey(shared, aad), nonce, {
    authTagLength: 16,
  });
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([Buffer.from(publicHex(ephemeral.publicKey), "hex"), nonce, body]).toString(
    "hex",
  );
}

/** Throws when the envelope was not sealed for this slot and key (AEAD failure). */
export function openEnvelope(
  header: Round2EnvelopeHeader,
  ciphertextHex: string,
  roundKey: RoundKey,
): Buffer {
  const bytes = Buffer.from(ciphertextHex, "hex");
  if (bytes.length < 32 + 12 + 16) throw new Error("round-2 envelope is too short");
  const ephemeralPublic = bytes.subarray(0, 32).toString("hex");
  const nonce = bytes.subarray(32, 44);
  const body = bytes.subarray(44, -16);
  const tag = bytes.subarray(-16);
  const shared = diffieHellman({
    privateKey: roundKey.privateKey,
    publicKey: publicKeyFromHex(ephemeralPublic),
  });
  const aad = Buffer.from(round2EnvelopeAad(header));
  const decipher = createDecipheriv("chacha20-poly1305", envelopeKey(shared, aad), nonce, {
    authTagLength: 16,
  });
  decipher.setAAD(aad, { plaintextLength: body.length });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}
