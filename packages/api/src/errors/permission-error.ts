import { DomainError } from "./domain-error";

export class PermissionError extends DomainError {
  readonly kind = "FORBIDDEN" as const;

  constructor(reason: string, message = "Not allowed") {
    super(reason, message);
  }
}
