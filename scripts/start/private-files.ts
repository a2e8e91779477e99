import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";

/** Creates a directory readable by its owner only, tightening an existing one. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Writes a file that only its owner can read; never overwrites. */
export function writePrivateFile(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600, flag: "wx" });
}

/** An existing secret file must still be private, or we refuse to use it. */
export function assertPrivateFile(file: string): void {
  if (!existsSync(file)) throw new Error(`missing ${file}`);
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `${file} is readable by group or others (mode ${mode.toString(8)}); run chmod 600 on it`,
    );
  }
}

/**
 * The Conclave home: like ensurePrivateDir, except that a root start has given the group
 * of the database's service account search permission (0710, see @conclave/db's README);
 * a start refused by the lock must not take that from the running server.
 */
export function ensureHomeDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sharedWithServiceGroup = process.getuid?.() === 0 && statSync(dir).gid !== 0;
  chmodSync(dir, sharedWithServiceGroup ? 0o710 : 0o700);
}
