import { DomainError } from "../../errors/domain-error";

// One message for every credential problem, so a caller learns nothing about which
// part was wrong or whether the email exists. `setup_required` is only ever given
// after the one-time password was verified.
export type ConsoleAuthReason = "invalid_credentials" | "setup_required" | "password_policy";

const messages: Record<ConsoleAuthReason, string> = {
  invalid_credentials: "Email, password or authentication code is wrong",
  setup_required: "Set a new password and enrol an authenticator first",
  password_policy: "The new password must be 12 to 1024 characters long",
};

export class ConsoleAuthError extends DomainError {
  readonly kind = "UNAUTHENTICATED" as const;

  constructor(readonly authReason: ConsoleAuthReason) {
    super(authReason, messages[authReason]);
  }
}
