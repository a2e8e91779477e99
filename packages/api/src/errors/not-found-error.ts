import { DomainError } from "./domain-error";

export class NotFoundError extends DomainError {
  readonly kind = "NOT_FOUND" as const;

  constructor(reason: string, message = "Not found") {
    super(reason, message);
  }
}
