import type { NextConfig } from "next";

/**
 * The configuration `next build` used, which scripts/build/build-web-server.ts embeds in
 * the compiled server as Next's own standalone server.js does: the standalone tree has no
 * next.config.ts to load. Undefined when the server runs from source (tsx).
 */
export function builtNextConfig(): NextConfig | undefined {
  const json = process.env.CONCLAVE_BUILT_NEXT_CONFIG;
  if (json === undefined) return undefined;
  // Next's own serialised NextConfig (required-server-files.json), written by the build.
  return JSON.parse(json) as NextConfig;
}
