import type { ServerOptions } from "node:http";

/**
 * Limits on slow or stalled clients (DESIGN.md: 30 s request timeout). Every one of
 * them must be given when the server is created: Node reads `connectionsCheckingInterval`
 * only then, and by default sweeps for expired requests every 30 s, so a 20 s header
 * timeout would bite after up to 50 s.
 */
export interface ServerTimeouts {
  /** A whole request (headers and body) must arrive within this. */
  readonly requestTimeoutMs: number;
  /** The request line and headers must arrive within this; the answer is a 408. */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** How often Node sweeps for requests past the two timeouts above. */
  readonly connectionsCheckingIntervalMs: number;
  /**
   * A connection that has not completed its TLS handshake within this is cut (Node's
   * default is 120 s, which lets idle TCP connections pile up).
   */
  readonly tlsHandshakeTimeoutMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 20_000,
  keepAliveTimeoutMs: 5_000,
  // A sweep walks the connection list; once a second is cheap and keeps the cut-off
  // within a second of the timeout.
  connectionsCheckingIntervalMs: 1_000,
  // Three round trips on a slow satellite link take about 2 s.
  tlsHandshakeTimeoutMs: 5_000,
};

/** The defaults with the given timeouts replaced (tests shorten them). */
export function serverTimeouts(overrides: Partial<ServerTimeouts> = {}): ServerTimeouts {
  return { ...DEFAULT_SERVER_TIMEOUTS, ...overrides };
}

/** Options for `http.createServer`. */
export function httpTimeoutOptions(timeouts: ServerTimeouts): ServerOptions {
  return {
    requestTimeout: timeouts.requestTimeoutMs,
    headersTimeout: timeouts.headersTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: timeouts.connectionsCheckingIntervalMs,
  };
}

/** Options for `https.createServer`: the HTTP ones plus the TLS handshake timeout. */
export function httpsTimeoutOptions(timeouts: ServerTimeouts): ServerOptions & {
  handshakeTimeout: number;
} {
  return { ...httpTimeoutOptions(timeouts), handshakeTimeout: timeouts.tlsHandshakeTimeoutMs };
}
