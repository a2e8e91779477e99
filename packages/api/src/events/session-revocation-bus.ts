import { EventEmitter } from "node:events";

// Tells every holder of a live connection that a session is gone, so the ws-server
// can close its sockets within a second. The in-process bus serves one process (and
// is the local half of the pub/sub bus that carries revocations between processes:
// pubsub-session-revocation-bus.ts).
export type SessionRevocation = { sessionId: string; reason: string };

export type SessionRevocationBus = {
  publish(revocation: SessionRevocation): void;
  subscribe(listener: (revocation: SessionRevocation) => void): () => void;
};

export function createInProcessSessionRevocationBus(): SessionRevocationBus {
  const emitter = new EventEmitter();
  // One listener per open socket is normal; the default cap of 10 would only warn.
  emitter.setMaxListeners(0);
  return {
    publish(revocation) {
      emitter.emit("revoked", revocation);
    },
    subscribe(listener) {
      emitter.on("revoked", listener);
      return () => emitter.off("revoked", listener);
    },
  };
}
