import { RateLimitedError } from "../abuse/rate-limited-error";
import type { FrontDoor, Transport } from "../context/request-facts";
import type { ApiMetrics } from "./create-api-metrics";

/**
 * Counts one procedure call with the code its caller saw ("OK" or the tRPC error code),
 * and a refusal by a limit under that limit's name. The path is one of the router's own
 * keys: tRPC answers an unknown path before any middleware runs.
 */
export function recordProcedureCall(
  metrics: ApiMetrics,
  call: {
    frontDoor: FrontDoor;
    transport: Transport;
    path: string;
    seconds: number;
    code: string;
    cause: unknown;
  },
): void {
  const door = `${call.frontDoor}-${call.transport}`;
  const path = metrics.label.path(call.path);
  metrics.requests.inc({ door, path, code: call.code });
  metrics.requestDuration.observe({ door, path }, call.seconds);
  if (call.cause instanceof RateLimitedError) {
    const limit =
      call.cause.limit?.name ?? (call.cause.reason === "banned" ? "ban" : "authBackoff");
    metrics.rateLimitRefusals.inc({ limit, reason: call.cause.reason });
  }
}
