import type { Clock } from "../clock/clock";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { RequestMeta } from "../context/request-facts";
import type { SecurityEventInput } from "../services/security-events/record-security-event";
import { recordSecurityEvent } from "../services/security-events/record-security-event";

/** Same shape as services/security/record-security-event with db and time bound. */
export type RecordAbuseEvent = (meta: RequestMeta, event: SecurityEventInput) => Promise<void>;

export function createSecurityEventRecorder(prisma: PrismaClient, clock: Clock): RecordAbuseEvent {
  return (meta, event) => recordSecurityEvent(prisma, clock.now(), meta, event);
}

/**
 * Limit decisions must not wait for a database insert, nor fail because of one: events
 * are written in the background and a failed write goes to `onError` (the host logs
 * it). `flush` waits for everything in flight (tests, graceful shutdown).
 */
export type AbuseEventLog = {
  record(meta: RequestMeta, event: SecurityEventInput): void;
  flush(): Promise<void>;
};

export function createAbuseEventLog(
  record: RecordAbuseEvent,
  onError: (error: unknown, event: SecurityEventInput) => void,
): AbuseEventLog {
  const pending = new Set<Promise<void>>();
  return {
    record(meta, event) {
      const write = record(meta, event)
        .catch((error: unknown) => {
          onError(error, event);
        })
        .finally(() => pending.delete(write));
      pending.add(write);
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
