import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import type { DomainErrorKind } from "./domain-error";
import { DomainError } from "./domain-error";

const codeOf: Record<DomainErrorKind, TRPC_ERROR_CODE_KEY> = {
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  INVALID: "BAD_REQUEST",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
};

// The one place domain errors become wire errors. The domain error stays the
// cause so the formatter can expose its stable `reason`.
export function toTrpcError(error: unknown): TRPCError | undefined {
  const domain = error instanceof TRPCError ? error.cause : error;
  if (!(domain instanceof DomainError)) return undefined;
  return new TRPCError({ code: codeOf[domain.kind], message: domain.message, cause: domain });
}
