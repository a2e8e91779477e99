// Services throw these; packages/api maps them to TRPCError in one place
// (errors/to-trpc-error.ts). `reason` is a stable machine code, `message` is safe
// to show a client: neither ever carries a secret.

export type DomainErrorKind =
  "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "INVALID" | "TOO_MANY_REQUESTS";

// The console loads this package more than once (Next bundles pages and route handlers
// separately, and server.ts builds the shared runtime outside the bundle), so an error
// thrown by one copy reaches code holding another copy's class. The base class is
// therefore recognised by a brand from the global symbol registry, not by identity.
const domainErrorBrand = Symbol.for("conclave.domain-error");

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  readonly [domainErrorBrand] = true;

  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== DomainError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Partial<Record<symbol, unknown>>)[domainErrorBrand] === true
    );
  }
}
