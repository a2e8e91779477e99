import { setTimeout as delay } from "node:timers/promises";
import type { EventWaiter } from "../events/event-waiter";
import { isConnectionFailure, retryLaterMs } from "./trpc-error-code";

/**
 * What a protocol loop does with a failed call: rethrows what retrying cannot fix;
 * otherwise waits (as long as the server asked, or for the reconnect) and returns, so
 * the loop re-reads the state and re-sends only what did not land.
 */
export async function waitBeforeRetry(
  error: unknown,
  options: { waiter: EventWaiter; recheckMs: number; report: (line: string) => void },
): Promise<void> {
  const laterMs = retryLaterMs(error);
  if (laterMs !== undefined) {
    options.report(`the server asked to come back later; retrying in ${String(laterMs / 1000)} s`);
    await delay(laterMs);
    return;
  }
  // The socket dropped mid-call (server restart, network): the client reconnects.
  if (!isConnectionFailure(error)) throw error;
  options.report("connection to the server lost; retrying after reconnect");
  await options.waiter.next(options.recheckMs);
}
