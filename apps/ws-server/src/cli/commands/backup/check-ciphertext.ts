import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Writable } from "node:stream";
import type { BackupManifest } from "./backup-manifest";
import { digestingStream } from "./digesting-stream";

export class BackupIntegrityError extends Error {
  override name = "BackupIntegrityError";
}

/**
 * The file must be exactly the ciphertext the signed manifest names, checked before any
 * byte is decrypted or restored.
 */
export async function checkCiphertext(file: string, manifest: BackupManifest): Promise<void> {
  const digest = digestingStream();
  try {
    await pipeline(
      createReadStream(file),
      digest.stream,
      new Writable({
        write(_chunk, _encoding, callback) {
          callback();
        },
      }),
    );
  } catch {
    throw new BackupIntegrityError(`cannot read the backup file ${file}`);
  }
  const { sha256, bytes } = digest.digest();
  if (bytes !== manifest.ciphertext.bytes || sha256 !== manifest.ciphertext.sha256) {
    throw new BackupIntegrityError(
      "the backup file does not match its signed manifest (sha256 differs): it was altered or truncated; refusing it",
    );
  }
}
