/**
 * Browsers always send Origin on a WebSocket handshake and never let a page forge it, so
 * a browser page may connect only from an allowed origin. A client without an Origin header
 * is not a browser (the guardian CLI/SDK) and authenticates with its token alone.
 */
export function isAllowedWebSocketOrigin(
  origin: string | undefined,
  allowedOrigins: ReadonlySet<string>,
): boolean {
  if (origin === undefined) return true;
  let normalized: string;
  try {
    normalized = new URL(origin).origin;
  } catch {
    return false;
  }
  // "null" (sandboxed frames, file://) parses to the opaque origin "null" and is never listed.
  return normalized !== "null" && allowedOrigins.has(normalized);
}
