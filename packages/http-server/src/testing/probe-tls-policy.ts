import { connect as tlsConnect, type SecureVersion } from "node:tls";

export type HandshakeOutcome =
  | { readonly ok: true; readonly protocol: string | null; readonly cipher: string }
  | { readonly ok: false; readonly error: string };

/** A TLS handshake offering only `ciphers` (OpenSSL names) up to `maxVersion`. */
function tlsHandshake(options: {
  port: number;
  ca: string;
  ciphers: string;
  maxVersion: SecureVersion;
}): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: "127.0.0.1",
      servername: "localhost",
      port: options.port,
      ca: options.ca,
      ciphers: options.ciphers,
      minVersion: "TLSv1.2",
      maxVersion: options.maxVersion,
    });
    socket.once("secureConnect", () => {
      resolve({ ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().name });
      socket.destroy();
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      resolve({ ok: false, error: error.code ?? error.message });
    });
  });
}

// The shared TLS policy admits TLS 1.3, and TLS 1.2 only with ECDHE key exchange and an
// AEAD cipher.
const weakTls12Suites = [
  "AES128-SHA256",
  "AES256-SHA",
  "AES128-GCM-SHA256",
  "AES256-GCM-SHA384",
  "ECDHE-RSA-AES128-SHA256",
  "ECDHE-RSA-AES256-SHA",
];
export const strongTls12Suites = [
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-RSA-CHACHA20-POLY1305",
];

export type TlsPolicyProbe = {
  /** The static-RSA or CBC TLS 1.2 suites a handshake offering only that suite got through with. */
  readonly weakTls12Accepted: readonly string[];
  /** One handshake per suite of `strongTls12Suites`, in that order. */
  readonly strongTls12: readonly HandshakeOutcome[];
  readonly tls13: HandshakeOutcome;
};

/** Handshakes with a TLS server on 127.0.0.1 offering one suite at a time. */
export async function probeTlsPolicy(port: number, ca: string): Promise<TlsPolicyProbe> {
  const weakTls12Accepted: string[] = [];
  for (const ciphers of weakTls12Suites) {
    const outcome = await tlsHandshake({ port, ca, ciphers, maxVersion: "TLSv1.2" });
    if (outcome.ok) weakTls12Accepted.push(ciphers);
  }
  const strongTls12: HandshakeOutcome[] = [];
  for (const ciphers of strongTls12Suites) {
    strongTls12.push(await tlsHandshake({ port, ca, ciphers, maxVersion: "TLSv1.2" }));
  }
  const tls13 = await tlsHandshake({
    port,
    ca,
    ciphers: "TLS_AES_256_GCM_SHA384",
    maxVersion: "TLSv1.3",
  });
  return { weakTls12Accepted, strongTls12, tls13 };
}
