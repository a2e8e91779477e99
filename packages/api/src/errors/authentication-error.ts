import { DomainError } from "./domain-error";

export class AuthenticationError extends DomainError {
  readonly kind = "UNAUTHENTICATED" as const;

  constructor(reason: string, message = "Not authenticated") {
    super(reason, message);
  }
}
