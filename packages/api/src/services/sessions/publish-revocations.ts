import type { SessionRevocationBus } from "../../events/session-revocation-bus";

export function publishRevocations(
  bus: SessionRevocationBus,
  sessionIds: readonly string[],
  reason: string,
): void {
  for (const sessionId of sessionIds) bus.publish({ sessionId, reason });
}
