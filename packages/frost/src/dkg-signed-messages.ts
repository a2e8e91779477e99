// The bytes a guardian signs with its Ed25519 identity key (the key it joined with)
// during the DKG, so that recipients, and the server, can tell who sent what. The
// server and the guardian client both import this one definition.
//
// Encoding: tag, then each field as a 4-byte big-endian byte length followed by its
// UTF-8 bytes (integers in decimal, keys and ciphertext as lowercase hex). The length
// prefixes make the encoding injective.
//
// Round-2 envelope (built by the client, opaque to the server; see round2-envelope.ts):
// `ciphertext` is the hex of  ephemeralPublicKey (32 bytes, X25519) || nonce (12 bytes)
// || ChaCha20-Poly1305(key, nonce, plaintext = the 32-byte signing share, aad =
// round2EnvelopeAad(...)) including its 16-byte tag, where key =
// HKDF-SHA256(ikm = X25519(ephemeralSecret, recipientRoundKey), salt = empty,
// info = round2EnvelopeAad(...), 32 bytes). `recipientRoundKey` is the X25519 key the
// recipient published, signed, with its round-1 package. The sender then signs
// round2EnvelopeMessage(...) with its identity key; the server checks that signature
// and stores the envelope, the recipient checks it again before decrypting.

const encoder = new TextEncoder();

function encode(tag: string, fields: readonly (string | number)[]): Uint8Array {
  const parts = [tag, ...fields.map(String)].map((field) => encoder.encode(field));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + 4 + part.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length, false);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}

const roundKeyTag = "conclave/dkg/round-key/v1";
const round2EnvelopeTag = "conclave/dkg/round2/v1";

export interface RoundKeyBinding {
  readonly vaultId: string;
  readonly ceremonyId: string;
  readonly guardianIndex: number;
  readonly roundPublicKey: string;
}

/** Binds a guardian's X25519 round key to its slot in one ceremony. */
export function roundKeyBindingMessage(binding: RoundKeyBinding): Uint8Array {
  return encode(roundKeyTag, [
    binding.vaultId,
    binding.ceremonyId,
    binding.guardianIndex,
    binding.roundPublicKey,
  ]);
}

export interface Round2EnvelopeHeader {
  readonly vaultId: string;
  readonly ceremonyId: string;
  readonly senderIndex: number;
  readonly recipientIndex: number;
  readonly recipientRoundKey: string;
}

/** AEAD associated data and HKDF info: binds a ciphertext to its slot. */
export function round2EnvelopeAad(header: Round2EnvelopeHeader): Uint8Array {
  return encode(round2EnvelopeTag, [
    header.vaultId,
    header.ceremonyId,
    header.senderIndex,
    header.recipientIndex,
    header.recipientRoundKey,
  ]);
}

/** What the sender signs over an envelope. */
export function round2EnvelopeMessage(
  header: Round2EnvelopeHeader,
  ciphertext: string,
): Uint8Array {
  return encode(round2EnvelopeTag, [
    header.vaultId,
    header.ceremonyId,
    header.senderIndex,
    header.recipientIndex,
    header.recipientRoundKey,
    ciphertext,
  ]);
}
