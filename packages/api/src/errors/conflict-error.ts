import { DomainError } from "./domain-error";

export class ConflictError extends DomainError {
  readonly kind = "CONFLICT" as const;

  constructor(reason: string, message = "Conflict") {
    super(reason, message);
  }
}
