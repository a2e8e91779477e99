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
    ...required,
    ...overrides,
  };
}
