import { randomUUID } from "node:crypto";
import { guardianSocketCloseCodes } from "@conclave/validators/guardian-socket-close-codes";
import type { Clock } from "../clock/clock";
import type { RequestMeta } from "../context/request-facts";
import type { ConnectionCaps } from "./abuse-config";
import type { AbuseEventLog } from "./abuse-event-log";
import type { AbuseStore } from "./abuse-store";
import { ipLimitSubject } from "./ip-address";
import { abuseKey } from "./limiter-keys";
import type { ResilientStore } from "./resilient-store";

/** Close code for a refused socket (mirrors HTTP 429). */
export const connectionLimitCloseCode = guardianSocketCloseCodes.tooManyConnections;

export type ConnectionScope = "ip" | "guardian";

/**
 * A held connection slot. Renew it on every heartbeat (the ws-server pings every
 * 30 s; a lease lasts `leaseMs`, 90 s by default): a process that crashes stops
 * renewing and its slots free themselves. `renew` answering false means the slot was
 * reclaimed (the process stalled past the lease): close the socket. Release on close.
 */
export type ConnectionLease = {
  readonly scope: ConnectionScope;
  renew(): Promise<boolean>;
  release(): Promise<void>;
};

export type ConnectionAdmission =
  | { admitted: true; lease: ConnectionLease; held: number }
  | {
      admitted: false;
      scope: ConnectionScope;
      max: number;
      /** For `socket.close(closeCode, reason)` (or an HTTP 429 before the upgrade). */
      closeCode: typeof connectionLimitCloseCode;
      reason: string;
    };

export type ConnectionLimiter = {
  /** At the WebSocket upgrade, before any work: slots per client IP (IPv6 per /64). */
  acquireForIp(ip: string, meta: RequestMeta): Promise<ConnectionAdmission>;
  /** Once the socket's guardian is known (tRPC createContext): at most `perGuardian`. */
  acquireForGuardian(guardianId: string, meta: RequestMeta): Promise<ConnectionAdmission>;
};

export function createConnectionLimiter(options: {
  caps: ConnectionCaps;
  store: ResilientStore;
  events: AbuseEventLog;
  clock: Clock;
  keyPrefix: string;
}): ConnectionLimiter {
  const { caps, store, events, clock } = options;
  const ttlMs = caps.leaseMs * 2;

  async function acquire(
    scope: ConnectionScope,
    subject: string,
    max: number,
    meta: RequestMeta,
    eventSubject: { type: string; id: string } | null,
  ): Promise<ConnectionAdmission> {
    const key = abuseKey(options.keyPrefix, `conn:${scope}`, [subject]);
    const holder = randomUUID();
    const now = clock.now().getTime();
    const { value, store: holderStore } = await store.run((s) =>
      s.slotAcquire(key, holder, now, now + caps.leaseMs, max, ttlMs),
    );
    if (!value.acquired) {
      events.record(meta, {
        kind: "connection.limit_exceeded",
        severity: "WARN",
        subjectType: eventSubject?.type ?? null,
        subjectId: eventSubject?.id ?? null,
        details: { scope, max },
      });
      return {
        admitted: false,
        scope,
        max,
        closeCode: connectionLimitCloseCode,
        reason: `too many connections for this ${scope === "ip" ? "address" : "guardian"} (max ${max})`,
      };
    }
    return { admitted: true, held: value.held, lease: lease(scope, key, holder, holderStore) };
  }

  // A lease stays with the store that granted it, so a slot taken during a Redis
  // outage is released where it lives. If that store is unreachable, the socket keeps
  // its slot (renew answers true) and the lease simply runs out: a dead Redis must not
  // close every socket, and at worst a slot is double-booked until Redis returns.
  function lease(
    scope: ConnectionScope,
    key: string,
    holder: string,
    where: AbuseStore,
  ): ConnectionLease {
    let released = false;
    return {
      scope,
      async renew() {
        if (released) return false;
        return where
          .slotRenew(key, holder, clock.now().getTime() + caps.leaseMs, ttlMs)
          .catch(() => true);
      },
      async release() {
        if (released) return;
        released = true;
        await where.slotRelease(key, holder).catch(() => undefined);
      },
    };
  }

  return {
    acquireForIp: (ip, meta) => acquire("ip", ipLimitSubject(ip), caps.perIp, meta, null),
    acquireForGuardian: (guardianId, meta) =>
      acquire("guardian", guardianId, caps.perGuardian, meta, { type: "GUARDIAN", id: guardianId }),
  };
}
