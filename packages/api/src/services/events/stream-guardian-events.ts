import type { ApiDependencies } from "../../context/api-dependencies";
import { AuthenticationError } from "../../errors/authentication-error";
import type { GuardianEventView } from "./guardian-event-types";
import { readGuardianEvents } from "./read-guardian-events";

const batchSize = 100;
// A notice can arrive before its row is visible (a publisher that ran inside its
// transaction, or a replica lagging): look again a few times before giving up on it.
const invisibleRetryDelaysMs = [10, 25, 50, 100, 250, 500, 1000];

/** The session a subscription was opened with, and how to re-check it. */
export type SubscriptionSession = {
  sessionId: string;
  /** Throws an AuthenticationError when the session is revoked, expired or idle. */
  check(): Promise<void>;
};

/**
 * Replays the guardian's events after `afterId` from the table, then follows new ones
 * as bus notices arrive (and on a slow poll, in case a notice was lost). The bus is
 * subscribed before the replay starts, so nothing committed in between is missed.
 *
 * The session is checked only when the subscription starts, so it is checked again
 * before each batch is delivered (after the rows are read: an event committed after a
 * revocation is never delivered), and the stream ends at once when the revocation
 * bus names the session.
 */
export async function* streamGuardianEvents(
  deps: ApiDependencies,
  guardianId: string,
  afterId: bigint,
  session: SubscriptionSession,
  signal: AbortSignal | undefined,
): AsyncGenerator<GuardianEventView> {
  let cursor = afterId;
  let notifiedUpTo = 0n;
  // Written by the bus listener while the loop awaits; read through a function so
  // the compiler does not narrow it across those awaits.
  let dirty = true;
  const isDirty = () => dirty;
  let wake: (() => void) | null = null;
  const unsubscribe = deps.guardianEvents.subscribe(guardianId, (eventId) => {
    if (eventId > notifiedUpTo) notifiedUpTo = eventId;
    dirty = true;
    wake?.();
  });
  let revoked = false;
  const isRevoked = () => revoked;
  const unsubscribeRevocations = deps.sessionEvents.subscribe(({ sessionId }) => {
    if (sessionId !== session.sessionId) return;
    revoked = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    let retry = 0;
    while (signal?.aborted !== true) {
      if (isRevoked()) throw new AuthenticationError("session_revoked");
      if (dirty) {
        dirty = false;
        const rows = await readGuardianEvents(deps.prisma, guardianId, cursor, batchSize);
        if (rows.length > 0) await session.check();
        for (const { seq, ...event } of rows) {
          if (isRevoked()) throw new AuthenticationError("session_revoked");
          cursor = seq;
          yield event;
        }
        if (rows.length === batchSize) {
          dirty = true;
          continue;
        }
      }
      if (isDirty()) continue;
      let delay = deps.config.guardianEventPollMs;
      if (notifiedUpTo > cursor) {
        const retryDelay = invisibleRetryDelaysMs[retry];
        if (retryDelay === undefined) notifiedUpTo = cursor;
        else delay = retryDelay;
        retry++;
      } else {
        retry = 0;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          dirty = true;
          resolve();
        }, delay);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    unsubscribe();
    unsubscribeRevocations();
    signal?.removeEventListener("abort", onAbort);
  }
}
