import { EventEmitter } from "node:events";

// Live delivery for events.subscribe. The bus carries only "guardian X has a new
// event with id N"; subscribers read the rows from the GuardianEvent table, so a lost
// or duplicated notification costs latency, never an event.
export type GuardianEventNotice = { guardianId: string; eventId: bigint };

export type GuardianEventBus = {
  publish(notices: readonly GuardianEventNotice[]): void;
  subscribe(guardianId: string, listener: (eventId: bigint) => void): () => void;
  close(): Promise<void>;
};

// One process; also the local half of the pub/sub bus (pubsub-guardian-event-bus.ts).
export function createInProcessGuardianEventBus(): GuardianEventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish(notices) {
      for (const notice of notices) emitter.emit(notice.guardianId, notice.eventId);
    },
    subscribe(guardianId, listener) {
      emitter.on(guardianId, listener);
      return () => emitter.off(guardianId, listener);
    },
    close() {
      emitter.removeAllListeners();
      return Promise.resolve();
    },
  };
}
