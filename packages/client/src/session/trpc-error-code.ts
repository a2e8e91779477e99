import { TRPCClientError } from "@trpc/client";

/** The tRPC error code the server answered with (UNAUTHORIZED, CONFLICT, ...), if any. */
export function trpcErrorCode(error: unknown): string | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = error.data;
  if (typeof data !== "object" || data === null) return undefined;
  const code = (data as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** The server said the presented credential is not (or no longer) valid: 401. */
export function isUnauthorized(error: unknown): boolean {
  return trpcErrorCode(error) === "UNAUTHORIZED";
}

/**
 * The call failed in transit (socket closed, server gone) rather than being answered:
 * worth retrying once the client has reconnected.
 */
export function isConnectionFailure(error: unknown): boolean {
  return error instanceof TRPCClientError && trpcErrorCode(error) === undefined;
}
