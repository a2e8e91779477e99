import { readFileSync } from "node:fs";
import type { TlsConfig } from "./tls-config";

export interface TlsCredentials {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Reads the PEM files named by the TLS config, for `https.createServer` / `setSecureContext`. */
export function readTlsCredentials(tls: TlsConfig): TlsCredentials {
  return { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) };
}
