import { connect as tcpConnect, type Socket } from "node:net";
import { connect as tlsConnect, type SecureVersion } from "node:tls";

export type HandshakeOutcome =
  | { readonly ok: true; readonly protocol: string | null; readonly cipher: string }
  | { readonly ok: false; readonly error: string };

/** A TLS handshake offering only `ciphers` (OpenSSL names) up to `maxVersion`. */
export function tlsHandshake(options: {
  port: number;
  ca: string;
  ciphers: string;
  maxVersion: SecureVersion;
}): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: "127.0.0.1",
      servername: "localhost",
      port: options.port,
      ca: options.ca,
      ciphers: options.ciphers,
      minVersion: "TLSv1.2",
      maxVersion: options.maxVersion,
    });
    socket.once("secureConnect", () => {
      resolve({ ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().name });
      socket.destroy();
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      resolve({ ok: false, error: error.code ?? error.message });
    });
  });
}

export type ServerCut = { readonly cut: true; readonly received: string } | { readonly cut: false };

/**
 * Resolves once the server ends the connection (with whatever it sent before), or with
 * `cut: false` if it is still open after `boundMs`.
 */
export function serverCut(socket: Socket, boundMs: number): Promise<ServerCut> {
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
export function silentTcpConnection(port: number): Socket {
  return tcpConnect({ host: "127.0.0.1", port });
}

/** A TLS connection that sends the start of a request's headers and then nothing. */
export function partialHeadersConnection(port: number, ca: string): Promise<Socket> {
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
