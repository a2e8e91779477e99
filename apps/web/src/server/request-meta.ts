import { randomUUID } from "node:crypto";

/**
 * Set by server.ts to the client address (the TCP peer, or X-Forwarded-For when the peer
 * is a trusted proxy); any value a client sends under this name is replaced.
 */
export const PEER_ADDRESS_HEADER = "x-conclave-peer";

export type HeaderSource = { get(name: string): string | null };

export function requestMetaFrom(headers: HeaderSource): {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
} {
  const ip = headers.get(PEER_ADDRESS_HEADER);
  return {
    // Empty when the socket had no address.
    ip: ip === "" ? null : ip,
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: headers.get("x-request-id") ?? randomUUID(),
  };
}
