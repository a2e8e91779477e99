import { Readable } from "node:stream";
import { Decrypter, Encrypter, generateIdentity, identityToRecipient } from "age-encryption";
import { readSecret } from "@conclave/config/read-secret";

// age (X25519 recipients, STREAM in 64 KiB authenticated chunks) through the
// age-encryption package: plaintext exists only in memory, one chunk at a time, and
// the files interoperate with the `age` command line tool.

export class AgeDecryptionError extends Error {
  override name = "AgeDecryptionError";
}

export async function encryptStream(
  plaintext: Readable,
  recipients: readonly string[],
): Promise<Readable> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const web = Readable.toWeb(plaintext) as unknown as ReadableStream<Uint8Array>;
  const encrypted = await encrypter.encrypt(web);
  return Readable.fromWeb(encrypted);
}

/**
 * Decrypts as it reads. Each chunk is authenticated before it is released, so a flipped
 * byte stops the stream with an error rather than yielding altered plaintext.
 */
export async function decryptStream(
  ciphertext: Readable,
  identities: readonly string[],
): Promise<Readable> {
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  const web = Readable.toWeb(ciphertext) as unknown as ReadableStream<Uint8Array>;
  let plaintext: ReadableStream<Uint8Array>;
  try {
    plaintext = await decrypter.decrypt(web);
  } catch (error) {
    const reason = error instanceof Error ? error.message : "unreadable header";
    throw new AgeDecryptionError(`cannot decrypt: ${reason}`);
  }
  return Readable.fromWeb(plaintext);
}

/**
 * An age identity file (AGE-SECRET-KEY-1... lines, # comments), readable by its owner
 * only, like every secret file.
 */
export function readIdentityFile(file: string): string[] {
  const text = readSecret({ AGE_IDENTITY_FILE: file }, "AGE_IDENTITY") ?? "";
  const identities = text
    .split(/\r?\n/u)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("AGE-SECRET-KEY-"));
  if (identities.length === 0) throw new AgeDecryptionError(`${file} holds no age identity`);
  return identities;
}

export interface AgeKeyPair {
  readonly identity: string;
  readonly recipient: string;
}

export async function generateAgeKeyPair(): Promise<AgeKeyPair> {
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}
