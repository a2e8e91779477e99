import type { ConsoleRouter } from "@conclave/api/routers/console/console-root";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";

// One request per call (no batching): each call's status code is its own, so a 401
// or 403 is never hidden inside a 207.
export const trpc = createTRPCClient<ConsoleRouter>({
  links: [httpLink({ url: "/api/trpc" })],
});

export type FieldErrors = Record<string, string>;

type ErrorData = {
  httpStatus?: number;
  code?: string;
  reason?: string;
  issues?: { path: string; message: string }[];
};

function errorData(error: unknown): ErrorData | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = (error as TRPCClientError<ConsoleRouter>).data as ErrorData | undefined;
  return data ?? null;
}

export function isUnauthenticated(error: unknown): boolean {
  return errorData(error)?.httpStatus === 401;
}

/** A message safe to show: the server's own (it never carries internals) or a fixed one. */
export function describeError(error: unknown): string {
  const data = errorData(error);
  if (data === null) return "Something went wrong. Try again.";
  if (data.httpStatus === 403) return "Not allowed";
  if (data.httpStatus === 401) return "Your session has ended. Sign in again.";
  if (data.issues && data.issues.length > 0) return "Check the highlighted fields";
  if (data.code === "INTERNAL_SERVER_ERROR") return "Something went wrong. Try again.";
  return (error as Error).message;
}

/** zod issues from the server keyed by their field path, for display beside each field. */
export function fieldErrors(error: unknown): FieldErrors {
  const issues = errorData(error)?.issues ?? [];
  const out: FieldErrors = {};
  for (const issue of issues) out[issue.path] ??= issue.message;
  return out;
}

/** The server's stable machine code for a domain error, e.g. "reauthentication_failed". */
export function errorReason(error: unknown): string | undefined {
  return errorData(error)?.reason;
}
