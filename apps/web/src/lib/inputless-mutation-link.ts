import type { ConsoleRouter } from "@conclave/api/routers/console-root";
import type { TRPCLink } from "@trpc/client";

/**
 * Sends a mutation called without input (logout, sessions.revokeOthers) with a JSON
 * `null` body instead of none. tRPC 11.22.1, the version @trpc/tanstack-react-query
 * pins, reads an empty POST body as invalid JSON (11.24 reads it as no input), and the
 * server reads every call's raw input for its `__proto__` check, so the call would fail
 * with 400. Remove once the integration is published for a newer tRPC.
 */
export function inputlessMutationLink(): TRPCLink<ConsoleRouter> {
  return () =>
    ({ op, next }) =>
      next(op.type === "mutation" && op.input === undefined ? { ...op, input: null } : op);
}
