import WebSocket from "ws";

/** Largest message the client accepts from the server. */
const MAX_INCOMING_PAYLOAD_BYTES = 1024 * 1024;

/**
 * A `ws` WebSocket class for tRPC's wsClient that trusts exactly `ca` (DESIGN 5: a Node
 * client needs a subclass to pass a CA). It sends no Origin header: the server treats an
 * Origin-less handshake as a non-browser client.
 */
export function createPinnedWebSocketClass(ca: string | undefined): typeof globalThis.WebSocket {
  class PinnedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      if (new URL(url).protocol !== "wss:") throw new Error("refusing a non-wss server URL");
      super(url, protocols, {
        ...(ca === undefined ? {} : { ca }),
        minVersion: "TLSv1.2",
        maxPayload: MAX_INCOMING_PAYLOAD_BYTES,
        perMessageDeflate: false,
      });
    }
  }
  // tRPC types its option as the DOM WebSocket; ws implements the parts it uses.
  return PinnedWebSocket as unknown as typeof globalThis.WebSocket;
}
