/** Entries of a time-ordered log within a window, and the newest entry's time. */
export type LogSummary = { count: number; newestMs: number | null };

export type SlotOutcome = { acquired: boolean; held: number };

/**
 * The state behind connection caps, authentication backoff and the ban cache. Times
 * are the caller's clock (epoch ms); `ttlMs` only lets the store forget idle keys.
 * Implemented on Redis (shared by every process) and in memory (one process).
 */
export type AbuseStore = {
  /** Adds `member` at `atMs`, forgets entries before `sinceMs`, counts what is left. */
  logAppend(
    key: string,
    member: string,
    atMs: number,
    sinceMs: number,
    ttlMs: number,
  ): Promise<LogSummary>;
  logRead(key: string, sinceMs: number): Promise<LogSummary>;
  /**
   * Takes a slot for `holder` unless `max` unexpired leases are held. Leases ending at
   * or before `nowMs` are freed first; re-acquiring an own slot renews it.
   */
  slotAcquire(
    key: string,
    holder: string,
    nowMs: number,
    leaseUntilMs: number,
    max: number,
    ttlMs: number,
  ): Promise<SlotOutcome>;
  /** False when the lease was already freed (expired and reclaimed). */
  slotRenew(key: string, holder: string, leaseUntilMs: number, ttlMs: number): Promise<boolean>;
  slotRelease(key: string, holder: string): Promise<void>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(keys: string[]): Promise<void>;
};
