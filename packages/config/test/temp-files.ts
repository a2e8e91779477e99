import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempFiles {
  write(name: string, content: string, mode: number): string;
  remove(): void;
}

export function createTempFiles(): TempFiles {
  const dir = mkdtempSync(join(tmpdir(), "conclave-config-"));
  return {
    write(name, content, mode) {
      const path = join(dir, name);
      writeFileSync(path, content);
      // chmod after writing so the process umask cannot widen or narrow the mode.
      chmodSync(path, mode);
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
