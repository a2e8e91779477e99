import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt as scryptCallback,
  type ScryptOptions,
} from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { writePrivateFileAtomically } from "@conclave/config/write-private-file-atomically";
import type { KeyPackage, PublicKeyPackage } from "@conclave/frost/wire-types";

// The long-lived FROST share, encrypted at rest: key = scrypt(passphrase, salt),
// AEAD = ChaCha20-Poly1305 with AAD naming the file format, vault and guardian, so a
// file copied into another slot does not decrypt. Mode 0600 inside the 0700 state folder.

const FORMAT = "conclave/keyshare/v1";
/** scrypt cost: 2^17 * 8 * 128 B = 128 MiB and roughly half a second per unlock. */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

export interface KeyShare {
  readonly vaultId: string;
  readonly guardianId: string;
  readonly keyPackage: KeyPackage;
  readonly publicKeyPackage: PublicKeyPackage;
}

const fileSchema = z.strictObject({
  format: z.literal(FORMAT),
  vaultId: z.uuid(),
  guardianId: z.uuid(),
  kdf: z.strictObject({
    name: z.literal("scrypt"),
    N: z
      .number()
      .int()
      .min(2 ** 14)
      .max(2 ** 20),
    r: z.number().int().min(8).max(32),
    p: z.number().int().min(1).max(4),
    salt: z.string().regex(/^[0-9a-f]{32}$/u),
  }),
  cipher: z.literal("chacha20-poly1305"),
  nonce: z.string().regex(/^[0-9a-f]{24}$/u),
  ciphertext: z.string().regex(/^(?:[0-9a-f]{2})+$/u),
});

export class KeyShareError extends Error {
  override readonly name = "KeyShareError";
}

function deriveKey(passphrase: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const N = cost.N ?? SCRYPT.N;
    const r = cost.r ?? SCRYPT.r;
    scryptCallback(
      passphrase.normalize("NFC"),
      salt,
      32,
      { ...cost, maxmem: 256 * N * r },
      (error, key) => {
        if (error) reject(error);
        else resolve(key);
      },
    );
  });
}

function aad(vaultId: string, guardianId: string): Buffer {
  return Buffer.from(`${FORMAT}\n${vaultId}\n${guardianId}`, "utf8");
}

export function keyShareFilePath(stateDir: string, vaultId: string): string {
  return path.join(stateDir, `keyshare-${vaultId}.json`);
}

/** Encrypts and writes the share atomically with mode 0600. */
export async function saveKeyShare(
  stateDir: string,
  share: KeyShare,
  passphrase: string,
): Promise<string> {
  if (passphrase.length < 8) throw new KeyShareError("the passphrase needs at least 8 characters");
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const key = await deriveKey(passphrase, salt, SCRYPT);
  const cipher = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  const plaintext = Buffer.from(
    JSON.stringify({ keyPackage: share.keyPackage, publicKeyPackage: share.publicKeyPackage }),
  );
  cipher.setAAD(aad(share.vaultId, share.guardianId), { plaintextLength: plaintext.length });
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  plaintext.fill(0);
  const file = keyShareFilePath(stateDir, share.vaultId);
  const body = {
    format: FORMAT,
    vaultId: share.vaultId,
    guardianId: share.guardianId,
    kdf: { name: "scrypt", ...SCRYPT, salt: salt.toString("hex") },
    cipher: "chacha20-poly1305",
    nonce: nonce.toString("hex"),
    ciphertext: ciphertext.toString("hex"),
  };
  await writePrivateFileAtomically(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

/** Decrypts the share; a wrong passphrase or a tampered file gives one clear error. */
export async function loadKeyShare(
  stateDir: string,
  vaultId: string,
  passphrase: string,
): Promise<KeyShare> {
  const file = keyShareFilePath(stateDir, vaultId);
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(await readFile(file, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new KeyShareError(`no key share for vault ${vaultId}; run keygen first`);
    throw new KeyShareError(`${file} is not a key share file`);
  }
  if (parsed.vaultId !== vaultId) throw new KeyShareError(`${file} belongs to another vault`);
  const key = await deriveKey(passphrase, Buffer.from(parsed.kdf.salt, "hex"), parsed.kdf);
  const bytes = Buffer.from(parsed.ciphertext, "hex");
  const decipher = createDecipheriv("chacha20-poly1305", key, Buffer.from(parsed.nonce, "hex"), {
    authTagLength: 16,
  });
  decipher.setAAD(aad(parsed.vaultId, parsed.guardianId), { plaintextLength: bytes.length - 16 });
  decipher.setAuthTag(bytes.subarray(-16));
  let plaintext: Buffer;
  try {
    plaintext = Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]);
  } catch {
    throw new KeyShareError("wrong passphrase, or the key share file was modified");
  }
  const content = JSON.parse(plaintext.toString("utf8")) as {
    keyPackage: KeyPackage;
    publicKeyPackage: PublicKeyPackage;
  };
  plaintext.fill(0);
  return { vaultId, guardianId: parsed.guardianId, ...content };
}
