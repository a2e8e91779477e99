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
