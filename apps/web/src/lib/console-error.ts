import type { ConsoleRouter } from "@conclave/api/routers/console-root";
import { TRPCClientError } from "@trpc/client";

export type FieldErrors = Record<string, string>;

/** Every error the console's calls reject with; its `data` is what the server's formatError sends. */
function isConsoleError(error: unknown): error is TRPCClientError<ConsoleRouter> {
  return error instanceof TRPCClientError;
}

function errorData(error: unknown) {
  return isConsoleError(error) ? (error.data ?? undefined) : undefined;
}

export function isUnauthenticated(error: unknown): boolean {
  return errorData(error)?.httpStatus === 401;
}

/** A message safe to show: the server's own (it never carries internals) or a fixed one. */
export function describeError(error: unknown): string {
  const data = errorData(error);
  if (!isConsoleError(error) || data === undefined) return "Something went wrong. Try again.";
  if (data.httpStatus === 403) return "Not allowed";
  if (data.httpStatus === 401) return "Your session has ended. Sign in again.";
  if (data.issues && data.issues.length > 0) return "Check the highlighted fields";
  if (data.code === "INTERNAL_SERVER_ERROR") return "Something went wrong. Try again.";
  return error.message;
}

/** zod issues from the server keyed by their field path, for display beside each field. */
export function fieldErrors(error: unknown): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of errorData(error)?.issues ?? []) out[issue.path] ??= issue.message;
  return out;
}

/** The server's stable machine code for a domain error, e.g. "reauthentication_failed". */
export function errorReason(error: unknown): string | undefined {
  return errorData(error)?.reason;
}
