import { verifyPassword } from "@conclave/auth/password-hash";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { PermissionError } from "../../errors/permission-error";
import type { Principal } from "../../rbac/principal";
import { recordSecurityEvent } from "../security/record-security-event";
import { consumeTotpCode } from "./consume-totp-code";

export type FreshCredentials = { password?: string | undefined; totpCode?: string | undefined };

// One-way acts (disabling or deleting a vault) ask the signed-in admin to prove
// presence again, with the password or a TOTP code, in the same request. A failure
// is a field error (not a 401, which would end the console session) and a security
// event. A TOTP code at or before the last sign-in's step is refused as a replay.
export async function confirmFreshCredentials(
  deps: Pick<ApiDependencies, "prisma" | "clock">,
  meta: RequestMeta,
  principal: Principal,
  credentials: FreshCredentials,
): Promise<void> {
  if (principal.kind !== "session" || principal.subjectType !== "USER") {
    throw new PermissionError("reauthentication_needs_user", "Only a signed-in user can do this");
  }
  const user = await deps.prisma.user.findUnique({
    where: { id: principal.subjectId },
    select: { passwordHash: true, totpSecret: true, totpLastUsedStep: true },
  });
  const now = deps.clock.now();
  let ok = false;
  if (user && credentials.password !== undefined && credentials.password !== "") {
    ok = await verifyPassword(user.passwordHash, credentials.password);
  } else if (user?.totpSecret && credentials.totpCode !== undefined) {
    ok = await consumeTotpCode(
      deps.prisma,
      {
        id: principal.subjectId,
        totpSecret: user.totpSecret,
        totpLastUsedStep: user.totpLastUsedStep,
      },
      credentials.totpCode,
      now,
    );
  }
  if (ok) return;
  await recordSecurityEvent(deps.prisma, now, meta, {
    kind: "console.reauthentication_failed",
    severity: "WARN",
    subjectType: "USER",
    subjectId: principal.subjectId,
  });
  throw new InvalidRequestError("reauthentication_failed", "Password or code is wrong");
}
