import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { NotFoundError } from "../../errors/not-found-error";
import type { AuditActor } from "../audit/record-audit";
import { publishRevocations } from "./publish-revocations";
import { revokeSessions } from "./revoke-sessions";

export async function adminRevokeSession(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor,
  input: { sessionId: string },
): Promise<{ revoked: boolean }> {
  const now = deps.clock.now();
  const revoked = await deps.prisma.$transaction(async (tx) => {
    const exists = await tx.session.findUnique({
      where: { id: input.sessionId },
      select: { id: true },
    });
    if (!exists) throw new NotFoundError("session_not_found");
    return revokeSessions(tx, meta, {
      sessionIds: [input.sessionId],
      reason: "revoked_by_admin",
      actor,
      now,
    });
  });
  publishRevocations(deps.sessionEvents, revoked, "revoked_by_admin");
  return { revoked: revoked.length === 1 };
}
