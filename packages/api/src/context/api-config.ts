import type { FeePolicy } from "@conclave/bitcoin/decode-vault-psbt";

// Identity policy knobs. Defaults follow issue 3; tests shorten nothing, they move
// the injected clock instead.
export type ApiConfig = {
  /** `iss` of every access token. */
  issuer: string;
  /** One `aud` per front door. */
  audiences: { console: string; guardian: string };
  /** Origin named in identity challenges (the ws-server's public origin). */
  guardianOrigin: string;
  sessionAbsoluteTtlMs: number;
  sessionIdleTimeoutMs: number;
  sessionActivityTouchMs: number;
  maxSessionsPerSubject: number;
  refreshGraceMs: number;
  invitationTtlMs: number;
  challengeTtlMs: number;
  apiKeyLastUsedTouchMs: number;
  /** Coordination core (issue 4): every DKG and signing round has this deadline. */
  keygenRoundTtlMs: number;
  signingRoundTtlMs: number;
  transactionTtlMs: number;
  maxSigningAttempts: number;
  maxKeygenAttempts: number;
  /** events.subscribe re-reads the log this often even without a bus notice. */
  guardianEventPollMs: number;
  /** PSBT import (issue 18): a higher fee, or a fee rate outside the bounds, is refused. */
  bitcoinFeePolicy: FeePolicy;
};

const minute = 60_000;

export function createApiConfig(
  required: Pick<ApiConfig, "issuer" | "audiences" | "guardianOrigin">,
  overrides: Partial<ApiConfig> = {},
): ApiConfig {
  return {
    sessionAbsoluteTtlMs: 7 * 24 * 60 * minute,
    sessionIdleTimeoutMs: 30 * minute,
    sessionActivityTouchMs: minute,
    maxSessionsPerSubject: 3,
    refreshGraceMs: 2_000,
    invitationTtlMs: 72 * 60 * minute,
    challengeTtlMs: minute,
    apiKeyLastUsedTouchMs: minute,
    keygenRoundTtlMs: 10 * minute,
    signingRoundTtlMs: 10 * minute,
    transactionTtlMs: 24 * 60 * minute,
    maxSigningAttempts: 3,
    maxKeygenAttempts: 3,
    guardianEventPollMs: 15_000,
    bitcoinFeePolicy: { maxFeeSats: 1_000_000n, minFeeRate: 1, maxFeeRate: 1_000 },
    ...required,
    ...overrides,
  };
}
