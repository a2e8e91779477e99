import type { WebSocket } from "ws";
import type { ConnectionLease } from "../abuse/create-connection-limiter";
import { guardianSocketCloseCodes } from "@conclave/validators/guardian-socket-close-codes";

/**
 * Keeps a socket's connection slot while the socket is open: renewed every
 * `renewEveryMs` (well inside the lease, so a crashed process frees its slots by
 * itself), released on close. A slot lost after a stall closes the socket, so the cap
 * stays true.
 */
export function holdConnectionLease(
  socket: WebSocket,
  lease: ConnectionLease,
  renewEveryMs: number,
): void {
  if (socket.readyState !== socket.OPEN) {
    void lease.release();
    return;
  }
  const timer = setInterval(() => {
    void lease.renew().then((held) => {
      if (!held) socket.close(guardianSocketCloseCodes.tooManyConnections, "connection slot lost");
    });
  }, renewEveryMs);
  timer.unref();
  socket.once("close", () => {
    clearInterval(timer);
    void lease.release();
  });
}
