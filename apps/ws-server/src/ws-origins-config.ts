import type { ConfigFragment } from "@conclave/config/config-fragment";

export interface WsOriginsConfig {
  /** Extra browser origins allowed to open the guardian WebSocket (PUBLIC_WS_ORIGIN always is). */
  readonly allowedOrigins: readonly string[];
}

/** WS_ALLOWED_ORIGINS: optional comma-separated list of https origins, e.g. the web console's. */
export const wsOriginsConfig: ConfigFragment<WsOriginsConfig> = (context) => {
  const raw = context.env.WS_ALLOWED_ORIGINS;
  if (raw === undefined) return { allowedOrigins: [] };
  const allowedOrigins: string[] = [];
  for (const entry of raw.split(",").map((value) => value.trim())) {
    if (entry === "") continue;
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== "https:" || url.origin !== entry.replace(/\/$/u, "")) {
      context.report("WS_ALLOWED_ORIGINS", "must list https origins (no path), comma-separated");
      return undefined;
    }
    allowedOrigins.push(url.origin);
  }
  return { allowedOrigins };
};
