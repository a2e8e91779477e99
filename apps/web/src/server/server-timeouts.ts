import type { Server } from "node:http";

/** Slow or stalled clients are cut off (DESIGN.md: 30 s request timeout). */
export function applyServerTimeouts(server: Server): void {
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 5_000;
}
