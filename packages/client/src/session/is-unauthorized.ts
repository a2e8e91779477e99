import { TRPCClientError } from "@trpc/client";

/** The server said the presented credential is not (or no longer) valid: 401. */
export function isUnauthorized(error: unknown): boolean {
  if (!(error instanceof TRPCClientError)) return false;
  const data: unknown = error.data;
  return (
    typeof data === "object" &&
    data !== null &&
    (data as { code?: unknown }).code === "UNAUTHORIZED"
  );
}
