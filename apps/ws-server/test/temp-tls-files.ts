import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createSelfSignedCertificate } from "@conclave/http-server/testing/create-self-signed-certificate";

export interface TempTlsFiles {
  readonly dir: string;
  readonly cert: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** Writes an extra file with the given mode, e.g. a secret file. */
  write(name: string, content: string, mode: number): string;
  remove(): void;
}

export function createTempTlsFiles(): TempTlsFiles {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-ws-"));
  const write = (name: string, content: string, mode: number): string => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    chmodSync(file, mode);
    return file;
  };
  const { cert, key } = createSelfSignedCertificate();
  return {
    dir,
    cert,
    certFile: write("cert.pem", cert, 0o644),
    keyFile: write("key.pem", key, 0o600),
    write,
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
