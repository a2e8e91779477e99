import type { GuardianClient } from "../create-guardian-client";

export interface EventWaiter {
  /** Resolves on the next guardian event, or after `timeoutMs` (a safety re-check). */
  next(timeoutMs: number): Promise<void>;
  close(): void;
}

/**
 * Wakes a ceremony loop whenever the server reports an event for this guardian
 * (events.subscribe over WSS, resumed by tracked id after a reconnect). The loop always
 * re-reads state after waking, so a lost or replayed event costs only a re-check.
 */
export function createEventWaiter(client: GuardianClient): EventWaiter {
  let wake: (() => void) | undefined;
  let pending = false;
  const subscription = client.api.events.subscribe.subscribe(
    {},
    {
      onData: () => {
        if (wake) wake();
        else pending = true;
      },
      onError: () => {
        // The timeout fallback keeps the loop moving; the wsLink resubscribes on reconnect.
      },
    },
  );
  return {
    next(timeoutMs) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done(): void {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });
    },
    close() {
      subscription.unsubscribe();
    },
  };
}
