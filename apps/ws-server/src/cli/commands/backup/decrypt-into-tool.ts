import { createReadStream } from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AgeDecryptionError, decryptStream } from "./age-streams";
import { spawnTool } from "./spawn-tool";

export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Plaintext bytes decrypted: all of them, even when the tool stopped reading early. */
  readonly plaintextBytes: number;
}

/**
 * Decrypts `file` straight into a tool's stdin (pg_restore), never onto the disk. The
 * whole file is decrypted even if the tool stops reading (pg_restore --list reads only
 * the table of contents), so every chunk's authentication is checked.
 */
export async function decryptIntoTool(
  file: string,
  identities: readonly string[],
  tool: { binary: string; args: readonly string[]; env: NodeJS.ProcessEnv },
): Promise<ToolRun> {
  const plaintext = await decryptStream(createReadStream(file), identities);
  const child = spawnTool(tool.binary, tool.args, tool.env);
  let stdout = "";
  child.child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  const stdin = child.child.stdin;
  let stdinOpen = stdin !== null;
  stdin?.on("error", () => {
    stdinOpen = false;
  });
  stdin?.on("close", () => {
    stdinOpen = false;
  });
  let plaintextBytes = 0;
  const feed = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      plaintextBytes += chunk.length;
      if (!stdinOpen || stdin === null) {
        callback();
        return;
      }
      if (stdin.write(chunk)) callback();
      else {
        const resume = () => {
          stdin.off("drain", resume);
          stdin.off("close", resume);
          callback();
        };
        stdin.on("drain", resume);
        stdin.on("close", resume);
      }
    },
    final(callback) {
      if (stdinOpen) stdin?.end();
      callback();
    },
  });
  let decryptError: unknown;
  try {
    await pipeline(plaintext, feed);
  } catch (error) {
    decryptError = error;
    child.child.kill("SIGTERM");
  }
  const code = await child.exited;
  if (decryptError instanceof AgeDecryptionError) throw decryptError;
  if (decryptError !== undefined) {
    throw new AgeDecryptionError(
      "the backup does not decrypt: a chunk failed authentication (altered or truncated)",
    );
  }
  return { code, stdout, stderr: child.stderr(), plaintextBytes };
}
