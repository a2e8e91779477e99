import type { Clock } from "../clock/clock";
import type { AbuseStore } from "./abuse-store";
import { BackendTimeoutError, withTimeout } from "./with-timeout";

export type StoreChoice = { store: AbuseStore; degraded: boolean };

/**
 * Runs store operations on the shared store, bounded by `timeoutMs`; when it is slow
 * or failing, on this process's fallback store, and skips the shared store for
 * `retryAfterMs` so no request waits on a dead Redis. `onUnavailable` hears each switch
 * (the caller records a security event). With no shared store (embedded) the primary
 * is the memory store itself and never degrades.
 */
export type ResilientStore = {
  run<T>(operation: (store: AbuseStore) => Promise<T>): Promise<{ value: T } & StoreChoice>;
};

export function createResilientStore(options: {
  primary: AbuseStore;
  fallback: AbuseStore;
  clock: Clock;
  timeoutMs: number;
  retryAfterMs: number;
  onUnavailable: (cause: "timeout" | "error") => void;
}): ResilientStore {
  const { primary, fallback, clock } = options;
  let retryAt = 0;

  return {
    async run(operation) {
      if (primary !== fallback && clock.now().getTime() >= retryAt) {
        try {
          return {
            value: await withTimeout(operation(primary), options.timeoutMs),
            store: primary,
            degraded: false,
          };
        } catch (error) {
          retryAt = clock.now().getTime() + options.retryAfterMs;
          options.onUnavailable(error instanceof BackendTimeoutError ? "timeout" : "error");
        }
      }
      return { value: await operation(fallback), store: fallback, degraded: primary !== fallback };
    },
  };
}
