import type { SecureContextOptions, TlsOptions } from "node:tls";

// TLS 1.2 only with forward secrecy (ECDHE) and AEAD (AES-GCM, ChaCha20-Poly1305), as in
// Mozilla's "intermediate" profile: no static-RSA key exchange (no forward secrecy) and no
// CBC (padding-oracle history). Both key types, so a certificate of either works.
const TLS12_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
];
// Node turns TLS 1.3 off when `ciphers` names no TLS 1.3 suite, so all three are listed
// (every TLS 1.3 suite is ECDHE/DHE with AEAD).
const TLS13_CIPHERS = [
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
];

/**
 * The TLS policy of both front doors (the console and the signing server). Pass it to
 * `https.createServer` and to every `setSecureContext`, which otherwise falls back to
 * Node's defaults.
 */
export const TLS_SERVER_OPTIONS = {
  minVersion: "TLSv1.2",
  ciphers: [...TLS13_CIPHERS, ...TLS12_CIPHERS].join(":"),
  honorCipherOrder: true,
} as const satisfies SecureContextOptions & TlsOptions;
