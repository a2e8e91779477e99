import type { ApiContext } from "../context/create-api-context";
import { actorOf, type Principal } from "./principal";
import { recordSecurityEvent } from "../services/security-events/record-security-event";

// Every 401 and 403 leaves a security event naming what was refused and why.
export async function recordDenial(
  ctx: ApiContext,
  denial: {
    kind: "unauthenticated" | "forbidden";
    reason: string;
    principal: Principal | null;
    path?: string;
  },
): Promise<void> {
  const actor = denial.principal === null ? null : actorOf(denial.principal);
  const subject = actor === null ? {} : { subjectType: actor.actorType, subjectId: actor.actorId };
  await recordSecurityEvent(ctx.deps.prisma, ctx.deps.clock.now(), ctx.request, {
    kind: denial.kind === "unauthenticated" ? "authentication_denied" : "permission_denied",
    severity: "INFO",
    ...subject,
    details: {
      reason: denial.reason,
      frontDoor: ctx.request.frontDoor,
      transport: ctx.request.transport,
      path: denial.path ?? null,
    },
  });
}
