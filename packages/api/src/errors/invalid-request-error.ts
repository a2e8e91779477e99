import { DomainError } from "./domain-error";

export class InvalidRequestError extends DomainError {
  readonly kind = "INVALID" as const;

  constructor(reason: string, message = "Invalid request") {
    super(reason, message);
  }
}
