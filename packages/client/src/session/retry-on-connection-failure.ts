import { setTimeout as delay } from "node:timers/promises";
import { isConnectionFailure } from "./trpc-error-code";

/**
 * Runs a one-off call (not one of the protocol loops, which retry on their own) again
 * when it failed in transit: right after a server restart the client is still
 * reconnecting, and tRPC rejects a call made on the dropped socket instead of holding
 * it for the new one. Waits 250 ms, doubling up to 4 s, for at most `attempts` tries;
 * anything the server actually answered is thrown at once.
 */
export async function retryOnConnectionFailure<T>(
  call: () => Promise<T>,
  { attempts = 8, firstDelayMs = 250 }: { attempts?: number; firstDelayMs?: number } = {},
): Promise<T> {
  let waitMs = firstDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (!isConnectionFailure(error) || attempt >= attempts) throw error;
      await delay(waitMs);
      waitMs = Math.min(waitMs * 2, 4_000);
    }
  }
}
