import type { ApiDependencies } from "../../context/api-dependencies";
import type { GuardianEventView } from "./guardian-event-types";
import { readGuardianEvents } from "./read-guardian-events";

const batchSize = 100;
// A notice can arrive before its row is visible (a publisher that ran inside its
// transaction, or a replica lagging): look again a few times before giving up on it.
const invisibleRetryDelaysMs = [10, 25, 50, 100, 250, 500, 1000];

/**
 * Replays the guardian's events after `afterId` from the table, then follows new ones
 * as bus notices arrive (and on a slow poll, in case a notice was lost). The bus is
 * subscribed before the replay starts, so nothing committed in between is missed.
 */
export async function* streamGuardianEvents(
  deps: ApiDependencies,
  guardianId: string,
  afterId: bigint,
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
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    let retry = 0;
    while (signal?.aborted !== true) {
      if (dirty) {
        dirty = false;
        const rows = await readGuardianEvents(deps.prisma, guardianId, cursor, batchSize);
        for (const { seq, ...event } of rows) {
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
    signal?.removeEventListener("abort", onAbort);
  }
}
