import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { anonymousActor, recordAudit } from "../audit/record-audit";
import { recordSecurityEvent } from "../security-events/record-security-event";

export type LoginFailureReason =
  "unknown_email" | "disabled" | "wrong_password" | "wrong_factor" | "setup_required";

// Audit row plus security event; neither names the email typed nor anything secret.
export async function recordLoginFailure(
  deps: Pick<ApiDependencies, "prisma" | "clock">,
  meta: RequestMeta,
  userId: string | null,
  reason: LoginFailureReason,
): Promise<void> {
  const now = deps.clock.now();
  await deps.prisma.$transaction(async (tx) => {
    await recordAudit(tx, meta, {
      actor: userId === null ? anonymousActor : { actorType: "USER", actorId: userId },
      action: "user.login_failed",
      outcome: "FAILURE",
      ...(userId === null ? {} : { target: { type: "user", id: userId } }),
      details: { reason },
    });
    await recordSecurityEvent(tx, now, meta, {
      kind: "console.login_failed",
      severity: "WARN",
      subjectType: userId === null ? null : "USER",
      subjectId: userId,
      details: { reason },
    });
  });
}
