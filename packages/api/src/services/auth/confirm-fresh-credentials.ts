import { verifyPassword } from "@conclave/auth/password-hash";
import { trackAuthAttempt } from "../../abuse/track-auth-attempt";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { DomainError } from "../../errors/domain-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { PermissionError } from "../../errors/permission-error";
import { actorOf, type Principal } from "../../rbac/principal";
import { recordSecurityEvent } from "../security-events/record-security-event";
import { consumeTotpCode } from "./consume-totp-code";
import { normaliseEmail } from "./verify-console-password";

export type FreshCredentials = { password?: string | undefined; totpCode?: string | undefined };

const failedReason = "reauthentication_failed";

/**
 * One-way acts (disabling or deleting a vault) ask the caller to prove presence again,
 * in the same request, whatever credential carried it:
 * - a console session: its user's password or a TOTP code;
 * - an API key: a current TOTP code of the admin who created it (`ApiKey.createdById`),
 *   so a leaked key alone cannot destroy anything; a password is never accepted there,
 *   since scripts would have to store it.
 * A failure is a field error (not a 401, which would end the console session) and a
 * security event, and it counts toward the backoff of the user's e-mail and the
 * address's ban, like a failed sign-in. A TOTP code at or before the last one spent
 * (sign-in or re-authentication) is refused as a replay.
 */
export async function confirmFreshCredentials(
  deps: Pick<ApiDependencies, "prisma" | "clock" | "abuse" | "fields">,
  meta: RequestMeta,
  principal: Principal,
  credentials: FreshCredentials,
): Promise<void> {
  const userId =
    principal.kind === "apiKey"
      ? principal.createdById
      : principal.subjectType === "USER"
        ? principal.subjectId
        : null;
  if (userId === null) {
    throw new PermissionError("reauthentication_needs_user", "Only a signed-in user can do this");
  }
  const user = await deps.prisma.user.findUnique({
    where: { id: userId },
    select: { email: true, passwordHash: true, totpSecret: true, totpLastUsedStep: true },
  });
  if (!user) throw new PermissionError("reauthentication_needs_user");
  const password = principal.kind === "apiKey" ? undefined : credentials.password;
  await trackAuthAttempt(
    deps.abuse.authFailures,
    { identifier: normaliseEmail(user.email), meta },
    async () => {
      const now = deps.clock.now();
      let ok = false;
      if (password !== undefined && password !== "") {
        ok = await verifyPassword(user.passwordHash, password);
      } else if (user.totpSecret && credentials.totpCode !== undefined) {
        ok = await consumeTotpCode(
          deps.prisma,
          deps.fields,
          { id: userId, totpSecret: user.totpSecret, totpLastUsedStep: user.totpLastUsedStep },
          credentials.totpCode,
          now,
        );
      }
      if (ok) return;
      const subject = actorOf(principal);
      await recordSecurityEvent(deps.prisma, now, meta, {
        kind: "console.reauthentication_failed",
        severity: "WARN",
        subjectType: subject.actorType,
        subjectId: subject.actorId,
        ...(principal.kind === "apiKey" ? { details: { keyOwnerId: userId } } : {}),
      });
      throw new InvalidRequestError(
        failedReason,
        principal.kind === "apiKey"
          ? "An API key needs a current authentication code of its creator"
          : "Password or code is wrong",
      );
    },
    (error) => error instanceof DomainError && error.reason === failedReason,
  );
}
