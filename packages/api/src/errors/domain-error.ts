// Services throw these; packages/api maps them to TRPCError in one place
// (errors/to-trpc-error.ts). `reason` is a stable machine code, `message` is safe
// to show a client: neither ever carries a secret.

export type DomainErrorKind =
  "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "INVALID" | "TOO_MANY_REQUESTS";

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
