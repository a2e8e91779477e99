import { randomBytes } from "node:crypto";
import { hashPassword } from "@conclave/auth/password-hash";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { NotFoundError } from "../../errors/not-found-error";
import { recordAudit, type AuditActor } from "../audit/record-audit";
import { normaliseEmail } from "../auth/verify-console-password";
import { publishRevocations } from "../sessions/publish-revocations";
import { revokeSessions } from "../sessions/revoke-sessions";

export type CreatedConsoleUser = {
  id: string;
  email: string;
  role: "ADMIN" | "VIEWER";
  /** Shown once; the account must replace it and enrol TOTP at first sign-in. */
  oneTimePassword: string;
};

export async function createConsoleUser(
  deps: Pick<ApiDependencies, "prisma">,
  meta: RequestMeta,
  actor: AuditActor,
  input: { email: string; role: "ADMIN" | "VIEWER" },
): Promise<CreatedConsoleUser> {
  const email = normaliseEmail(input.email);
  const oneTimePassword = randomBytes(18).toString("base64url");
  const passwordHash = await hashPassword(oneTimePassword);
  const existing = await deps.prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new ConflictError("email_taken", "An account with this email exists");
  const user = await deps.prisma.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { email, passwordHash, role: input.role, mustChangeCredentials: true },
      select: { id: true, email: true, role: true },
    });
    await recordAudit(tx, meta, {
      actor,
      action: "user.create",
      outcome: "SUCCESS",
      target: { type: "user", id: created.id },
      details: { role: created.role },
    });
    return created;
  });
  return { ...user, oneTimePassword };
}

// Disabling also ends every live session of the account at once.
export async function disableConsoleUser(
  deps: Pick<ApiDependencies, "prisma" | "clock" | "sessionEvents">,
  meta: RequestMeta,
  actor: AuditActor,
  input: { userId: string },
): Promise<{ id: string; disabledAt: Date }> {
  if (actor.actorId === input.userId) {
    throw new InvalidRequestError("cannot_disable_self", "You cannot disable your own account");
  }
  const now = deps.clock.now();
  const { revoked, disabledAt } = await deps.prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: input.userId },
      select: { id: true, disabledAt: true },
    });
    if (!user) throw new NotFoundError("user_not_found", "No such user");
    if (user.disabledAt) return { revoked: [], disabledAt: user.disabledAt };
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: now } });
    const live = await tx.session.findMany({
      where: { subjectType: "USER", subjectId: user.id, revokedAt: null },
      select: { id: true },
    });
    const ids = await revokeSessions(tx, meta, {
      sessionIds: live.map((session) => session.id),
      reason: "revoked_by_admin",
      actor,
      now,
    });
    await recordAudit(tx, meta, {
      actor,
      action: "user.disable",
      outcome: "SUCCESS",
      target: { type: "user", id: user.id },
    });
    return { revoked: ids, disabledAt: now };
  });
  publishRevocations(deps.sessionEvents, revoked, "revoked_by_admin");
  return { id: input.userId, disabledAt };
}
