import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";

// Node's defaults would hold these clients for 30 s to 50 s (header timeout checked every
// 30 s) and 120 s (TLS handshake): a cut within 15 s shows the shortened limits apply.
const GENEROUS_BOUND_MS = 15_000;

export type ServerCut = { readonly cut: true; readonly received: string } | { readonly cut: false };

/**
 * Resolves once the server ends the connection (with whatever it sent before), or with
 * `cut: false` if it is still open after `boundMs`.
 */
function serverCut(socket: Socket, boundMs: number): Promise<ServerCut> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ cut: false });
    }, boundMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve({ cut: true, received: Buffer.concat(chunks).toString("latin1") });
    });
  });
}

/** A TCP connection that never starts TLS. */
function silentTcpConnection(port: number): Socket {
  return tcpConnect({ host: "127.0.0.1", port });
}

/** A TLS connection that sends the start of a request's headers and then nothing. */
function partialHeadersConnection(port: number, ca: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: "127.0.0.1", servername: "localhost", port, ca });
    socket.once("secureConnect", () => {
      socket.off("error", reject);
      socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

/** How the server ends a TLS client that sends part of its headers and then stalls. */
export async function stalledHeadersCut(port: number, ca: string): Promise<ServerCut> {
  return serverCut(await partialHeadersConnection(port, ca), GENEROUS_BOUND_MS);
}

/** How the server ends a TCP connection that never starts TLS. */
export function silentTcpCut(port: number): Promise<ServerCut> {
  return serverCut(silentTcpConnection(port), GENEROUS_BOUND_MS);
}
