import type { Clock } from "../clock/clock";
import type { RequestMeta } from "../context/request-facts";
import type { SecurityEventInput } from "../services/security-events/record-security-event";
import type { AbuseEventLog } from "./abuse-event-log";
import { clientIpSubject } from "./ip-address";

/**
 * Security events a client can cause at will (a call with a junk token), written so a
 * flood cannot turn into one database row per request: the first event of an address
 * (a /64 for IPv6) and kind in a window is written at once, with its details; the
 * others in that window are counted and written as one event (`aggregated: true`,
 * `count`, and the count per `details.reason`) once the window has passed. At most two
 * rows per address, kind and window, per process.
 */
export type SecurityEventAggregator = {
  record(meta: RequestMeta, event: SecurityEventInput): void;
  /** Writes the counts of every window still open (shutdown, tests). */
  flush(): void;
};

type OpenWindow = {
  meta: RequestMeta;
  event: SecurityEventInput;
  startedAtMs: number;
  more: number;
  reasons: Map<string, number>;
};

// Past this many open windows everything is written and forgotten, so memory stays
// bounded while a flood comes from very many addresses.
const MAX_OPEN_WINDOWS = 10_000;

export function createSecurityEventAggregator(options: {
  events: AbuseEventLog;
  clock: Clock;
  windowMs: number;
}): SecurityEventAggregator {
  const { events, clock, windowMs } = options;
  const open = new Map<string, OpenWindow>();
  let sweptAtMs = 0;

  function close(key: string, window: OpenWindow): void {
    open.delete(key);
    if (window.more === 0) return;
    events.record(window.meta, {
      ...window.event,
      details: {
        ...window.event.details,
        aggregated: true,
        count: window.more,
        windowSeconds: Math.round(windowMs / 1000),
        reasons: Object.fromEntries(window.reasons),
      },
    });
  }

  function sweep(nowMs: number): void {
    sweptAtMs = nowMs;
    for (const [key, window] of open) {
      if (nowMs - window.startedAtMs >= windowMs) close(key, window);
    }
  }

  return {
    record(meta, event) {
      const nowMs = clock.now().getTime();
      if (nowMs - sweptAtMs >= windowMs) sweep(nowMs);
      const key = `${event.kind}\n${clientIpSubject(meta.ip)}`;
      const window = open.get(key);
      if (window !== undefined && nowMs - window.startedAtMs < windowMs) {
        window.more++;
        const reason = event.details?.["reason"];
        const reasonKey = typeof reason === "string" ? reason : "-";
        window.reasons.set(reasonKey, (window.reasons.get(reasonKey) ?? 0) + 1);
        return;
      }
      if (window !== undefined) close(key, window);
      if (open.size >= MAX_OPEN_WINDOWS) for (const [k, w] of open) close(k, w);
      open.set(key, { meta, event, startedAtMs: nowMs, more: 0, reasons: new Map() });
      events.record(meta, event);
    },
    flush() {
      for (const [key, window] of open) close(key, window);
    },
  };
}
