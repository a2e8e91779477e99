import { randomUUID } from "node:crypto";

/** Set by server.ts from the TCP peer; any value a client sends under this name is replaced. */
export const PEER_ADDRESS_HEADER = "x-conclave-peer";

export type HeaderSource = { get(name: string): string | null };

export function requestMetaFrom(headers: HeaderSource): {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
} {
  return {
    ip: headers.get(PEER_ADDRESS_HEADER),
    userAgent: headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: headers.get("x-request-id") ?? randomUUID(),
  };
}
