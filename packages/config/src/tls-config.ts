import type { ConfigFragment } from "./config-fragment";
import { checkOwnerOnlyFile, checkReadableFile } from "./file-checks";

export interface TlsConfig {
  /** PEM certificate chain served by the HTTPS listeners. */
  readonly certFile: string;
  /** PEM private key; must be accessible by its owner only. */
  readonly keyFile: string;
  /** CA that development clients should trust; not used by the servers themselves. */
  readonly caFile: string | undefined;
}

/** The HTTPS front doors cannot run without a certificate, so both files are always required. */
export const tlsConfig: ConfigFragment<TlsConfig> = (context) => {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, TLS_CA_FILE: caFile } = context.env;
  if (certFile === undefined) context.report("TLS_CERT_FILE", "is required");
  else checkReadableFile(context, "TLS_CERT_FILE", certFile);
  if (keyFile === undefined) context.report("TLS_KEY_FILE", "is required");
  else if (checkReadableFile(context, "TLS_KEY_FILE", keyFile)) {
    checkOwnerOnlyFile(context, "TLS_KEY_FILE", keyFile);
  }
  if (caFile !== undefined) checkReadableFile(context, "TLS_CA_FILE", caFile);
  if (certFile === undefined || keyFile === undefined) return undefined;
  return { certFile, keyFile, caFile };
};
