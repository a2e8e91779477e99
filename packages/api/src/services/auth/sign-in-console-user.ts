import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from "@conclave/auth/password-hash";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { recordAudit } from "../audit/record-audit";
import { createSession } from "../sessions/create-session";
import { lockSubjectSessions } from "../sessions/lock-subject-sessions";
import { publishRevocations } from "../sessions/publish-revocations";
import { ConsoleAuthError } from "./console-auth-error";
import { consumeTotpCode } from "./consume-totp-code";
import { recordLoginFailure } from "./record-login-failure";
import { verifyConsolePassword } from "./verify-console-password";

export type ConsoleSignInInput = {
  email: string;
  password: string;
  totpCode: string;
  /** Only for an account that must change its credentials: completes the enrolment. */
  newPassword?: string;
};

export type ConsoleSignIn = {
  userId: string;
  email: string;
  role: "ADMIN" | "VIEWER";
  sessionId: string;
  expiresAt: Date;
};

function acceptablePassword(password: string): boolean {
  const length = password.normalize("NFC").length;
  return length >= MIN_PASSWORD_LENGTH && length <= MAX_PASSWORD_LENGTH;
}

// Password, then TOTP (a step at or before the last accepted one is a replay), then a
// USER Session row: the console's next-auth JWT carries only that row's id, so the
// session cap, idle timeout and revocation apply exactly as for guardians.
export async function signInConsoleUser(
  deps: ApiDependencies,
  meta: RequestMeta,
  input: ConsoleSignInInput,
): Promise<ConsoleSignIn> {
  const user = await verifyConsolePassword(deps, meta, input);
  const enrolling = user.mustChangeCredentials;
  if (enrolling && input.newPassword === undefined) {
    throw new ConsoleAuthError("setup_required");
  }
  if (!enrolling && input.newPassword !== undefined) {
    throw new ConsoleAuthError("invalid_credentials");
  }
  if (enrolling && !acceptablePassword(input.newPassword ?? "")) {
    throw new ConsoleAuthError("password_policy");
  }
  const newPasswordHash =
    enrolling && input.newPassword !== undefined ? await hashPassword(input.newPassword) : null;

  const now = deps.clock.now();
  const outcome = await deps.prisma.$transaction(async (tx) => {
    await lockSubjectSessions(tx, "USER", user.id);
    const current = await tx.user.findUnique({
      where: { id: user.id },
      select: {
        totpSecret: true,
        totpLastUsedStep: true,
        mustChangeCredentials: true,
        disabledAt: true,
      },
    });
    if (!current?.totpSecret || current.disabledAt || current.mustChangeCredentials !== enrolling) {
      return { ok: false as const };
    }
    const factorOk = await consumeTotpCode(
      tx,
      deps.fields,
      { id: user.id, totpSecret: current.totpSecret, totpLastUsedStep: current.totpLastUsedStep },
      input.totpCode,
      now,
    );
    if (!factorOk) return { ok: false as const };

    if (newPasswordHash !== null) {
      await tx.user.update({
        where: { id: user.id },
        data: { passwordHash: newPasswordHash, mustChangeCredentials: false },
      });
    }
    const session = await createSession(tx, deps, meta, {
      subjectType: "USER",
      subjectId: user.id,
      deviceName: "console",
      withRefreshToken: false,
    });
    await recordAudit(tx, meta, {
      actor: { actorType: "USER", actorId: user.id },
      action: "user.login",
      outcome: "SUCCESS",
      target: { type: "session", id: session.sessionId },
      details: { firstSignIn: enrolling },
    });
    return { ok: true as const, session };
  });

  if (!outcome.ok) {
    await recordLoginFailure(deps, meta, user.id, "wrong_factor");
    throw new ConsoleAuthError("invalid_credentials");
  }
  publishRevocations(deps.sessionEvents, outcome.session.evictedSessionIds, "session_limit");
  return {
    userId: user.id,
    email: user.email,
    role: user.role,
    sessionId: outcome.session.sessionId,
    expiresAt: outcome.session.expiresAt,
  };
}
