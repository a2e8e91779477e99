/**
 * Named request limits. Public ones are keyed by client IP, `guardianCall` by guardian
 * id, the admin ones by principal (user or API key), `signingAttempt` by
 * (transaction, guardian).
 */
export type LimitName =
  | "join"
  | "login"
  | "challenge"
  | "joinChallenge"
  | "refresh"
  | "invitationRedeem"
  | "guardianCall"
  | "adminRead"
  | "adminWrite"
  | "signingAttempt";

/**
 * What a limit does when its backend (Redis) is slow or down: `closed` refuses every
 * request (the credential-guessing doors), `local` counts in this process only (so
 * with k processes a client may get up to k times the limit until Redis is back).
 */
export type BackendFailurePolicy = "closed" | "local";

export type LimitSpec = { max: number; windowMs: number; onBackendFailure: BackendFailurePolicy };

export type ConnectionCaps = {
  perGuardian: number;
  perIp: number;
  /** A slot not renewed within this long is free again (crashed processes leak nothing). */
  leaseMs: number;
};

export type AuthFailurePolicy = {
  /** Failures are remembered this long for backoff. */
  backoffWindowMs: number;
  /** Failures per identifier before any delay. */
  freeFailuresPerIdentifier: number;
  /** Failures per IP before any delay (higher: NAT shares addresses). */
  freeFailuresPerIp: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** An IP with `banThreshold` failures within `banWindowMs` is banned. */
  banThreshold: number;
  banWindowMs: number;
  /** Ban durations by strike (1st, 2nd, ...); the last repeats. */
  banDurationsMs: number[];
  /** Earlier bans of the same IP within this long count as strikes. */
  strikeMemoryMs: number;
};

export type AbuseConfig = {
  limits: Record<LimitName, LimitSpec>;
  connections: ConnectionCaps;
  authFailures: AuthFailurePolicy;
  /** The library's own timeout on a Redis round trip; past it, the failure policy applies. */
  backendTimeoutMs: number;
  /** After a backend failure, skip Redis for this long (no request waits for a dead Redis). */
  backendRetryAfterMs: number;
  /** Retry-After sent when a fail-closed limit refuses because Redis is unavailable. */
  unavailableRetryAfterSeconds: number;
  /** Key prefix in Redis for everything this module stores. */
  keyPrefix: string;
};

const second = 1_000;
const minute = 60 * second;
const hour = 60 * minute;

const publicLimit: LimitSpec = { max: 10, windowMs: minute, onBackendFailure: "closed" };

export const defaultAbuseConfig: AbuseConfig = {
  limits: {
    join: publicLimit,
    login: publicLimit,
    // A challenge proves nothing by itself; refusing it during an outage would only
    // widen the outage, and the login that uses it stays closed.
    challenge: { ...publicLimit, onBackendFailure: "local" },
    // The first half of a join, with the join's own budget, so joins stay possible
    // while login challenges are spent (and the reverse); the join it serves is closed.
    joinChallenge: { ...publicLimit, onBackendFailure: "local" },
    refresh: publicLimit,
    invitationRedeem: publicLimit,
    guardianCall: { max: 100, windowMs: minute, onBackendFailure: "local" },
    adminRead: { max: 300, windowMs: minute, onBackendFailure: "local" },
    adminWrite: { max: 60, windowMs: minute, onBackendFailure: "local" },
    // A 3-of-5 ceremony needs at most 2 calls per attempt (commitment, share) and
    // maxSigningAttempts (3) attempts, so 20 leaves room for client retries.
    signingAttempt: { max: 20, windowMs: 10 * minute, onBackendFailure: "local" },
  },
  connections: { perGuardian: 3, perIp: 20, leaseMs: 90 * second },
  authFailures: {
    backoffWindowMs: 15 * minute,
    freeFailuresPerIdentifier: 3,
    freeFailuresPerIp: 10,
    baseDelayMs: second,
    maxDelayMs: 15 * minute,
    // Failures and backoff refusals of one address count toward its ban. An attacker
    // who never knocks early (the slowest one) is limited by the public 10/min limit and
    // then by the address's backoff: failures 1-10 at 0 s, 11 at ~60 s and 12 at ~120 s
    // (the sliding window), then 2, 4, 8, ... 256 s apart, so the 20th lands at ~630 s
    // (measured with the real limiter in test/abuse-auth-attempts.test.ts). A 10-minute
    // window had let failures 1-10 expire first, so that attacker was never banned; the
    // window is now the backoff's own memory (15 min), which leaves ~4.5 min of margin.
    // One who ignores Retry-After is banned at its 20th attempt, refusals included.
    banThreshold: 20,
    banWindowMs: 15 * minute,
    banDurationsMs: [15 * minute, hour, 24 * hour],
    strikeMemoryMs: 30 * 24 * hour,
  },
  backendTimeoutMs: 1_000,
  backendRetryAfterMs: 5 * second,
  unavailableRetryAfterSeconds: 5,
  keyPrefix: "conclave:abuse",
};

export type AbuseConfigOverrides = Partial<
  Omit<AbuseConfig, "limits" | "connections" | "authFailures">
> & {
  limits?: Partial<Record<LimitName, Partial<LimitSpec>>>;
  connections?: Partial<ConnectionCaps>;
  authFailures?: Partial<AuthFailurePolicy>;
};

export function createAbuseConfig(overrides: AbuseConfigOverrides = {}): AbuseConfig {
  const { limits = {}, connections, authFailures, ...rest } = overrides;
  const merged = { ...defaultAbuseConfig.limits };
  for (const name of Object.keys(merged) as LimitName[]) {
    merged[name] = { ...merged[name], ...limits[name] };
  }
  return {
    ...defaultAbuseConfig,
    ...rest,
    limits: merged,
    connections: { ...defaultAbuseConfig.connections, ...connections },
    authFailures: { ...defaultAbuseConfig.authFailures, ...authFailures },
  };
}
