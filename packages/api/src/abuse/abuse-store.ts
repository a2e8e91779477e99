/** Entries of a time-ordered log within a window, and the newest entry's time. */
export type LogSummary = { count: number; newestMs: number | null };

export type SlotOutcome = { acquired: boolean; held: number };

/** A failure log and how many of its entries cost no delay. */
export type BackoffLog = { key: string; free: number };

/** Delay earned by the entries past `free`: base, 2 base, 4 base, ... capped at max. */
export type BackoffCurve = { baseMs: number; maxMs: number };

export type ReserveOutcome = { reserved: true } | { reserved: false; waitMs: number };

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
   * Check and count in one atomic step, so attempts fired together cannot all pass a
   * gate that each alone would see open. Forgets entries before `sinceMs` in every log;
   * when any log's delay (backoffDelayMs of its count, from its newest entry) has not
   * passed at `atMs`, answers the longest remaining wait and adds nothing; otherwise
   * adds `member` at `atMs` to every log.
   */
  logReserve(
    logs: readonly BackoffLog[],
    member: string,
    atMs: number,
    sinceMs: number,
    ttlMs: number,
    curve: BackoffCurve,
  ): Promise<ReserveOutcome>;
  /** Takes `member` out of every log (a reserved attempt that turned out not to fail). */
  logRemove(keys: readonly string[], member: string): Promise<void>;
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
