import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * Replaces `file` with `content`, readable by its owner only (0600), so that a reader
 * sees the old file or the new one, never half of either: the content goes to a fresh
 * temporary file beside it (created exclusively with mode 0600, so it is never readable
 * by others, not even for a moment), is flushed to disk, then renamed over `file`.
 *
 * The secrets on disk (the guardian state and key shares, the JWT keyring, the embedded
 * database's URL) are all written through this. The replaced file takes the caller's
 * ownership.
 */
export async function writePrivateFileAtomically(
  file: string,
  content: string | Uint8Array,
): Promise<void> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  const handle = await open(temporary, "wx", 0o600);
  try {
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    // Whatever failed, no half-written temporary is left behind.
    await rm(temporary, { force: true });
    throw error;
  }
}
