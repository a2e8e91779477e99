import type { Logger } from "@conclave/logger/create-logger";

export type SecurityRefusal = "authentication_failed" | "banned";

/**
 * One warn line per refusal, naming the client address, for fail2ban
 * (deploy/fail2ban/filter.d/conclave.conf) to drop at the firewall the clients the app
 * already refuses. The security events in the database stay the record; this line is
 * the firewall's feed, so it carries the address and the path, never a credential.
 */
export function logSecurityRefusal(
  logger: Logger,
  refusal: SecurityRefusal,
  clientIp: string | null,
  path: string,
): void {
  if (clientIp === null) return;
  logger.warn({ refusal, clientIp, path }, "security refusal");
}
