import type { ApiConfig } from "../../context/api-config";

// A session counts as live while it is not revoked, not past its absolute expiry
// and not idle for longer than the inactivity timeout.
export function liveSessionWhere(config: ApiConfig, now: Date) {
  return {
    revokedAt: null,
    expiresAt: { gt: now },
    lastActivityAt: { gt: new Date(now.getTime() - config.sessionIdleTimeoutMs) },
  };
}
