import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

// Incoming ids end up in logs and response headers, so only short plain tokens are trusted.
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/u;

/** The caller's request id when it is well formed, otherwise a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && WELL_FORMED.test(header) ? header : randomUUID();
}
