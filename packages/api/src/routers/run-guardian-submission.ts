import type { ApiDependencies } from "../context/api-dependencies";
import type { RequestMeta } from "../context/request-facts";
import type { Principal } from "../rbac/principal";
import { IdentitySignatureError } from "../errors/identity-signature-error";
import { requireSessionPrincipal } from "../rbac/require-session-principal";
import { forceLogout } from "../services/sessions/force-logout";

export type GuardianSubmit<TInput, TResult> = (
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  input: TInput,
) => Promise<TResult>;

/**
 * Keygen and signing submissions come only from a signed-in guardian (their procedures
 * declare `recordDenials`, so a refused one is recorded against that guardian for abuse
 * review). A failed identity signature also ends the session (DESIGN.md section 3:
 * suspicious activity forces logout).
 */
export async function runGuardianSubmission<TInput, TResult>(
  ctx: { deps: ApiDependencies; request: RequestMeta; principal: Principal },
  operation: string,
  submit: GuardianSubmit<TInput, TResult>,
  input: TInput,
): Promise<TResult> {
  const session = requireSessionPrincipal(ctx.principal);
  const guardianId = session.subjectId;
  try {
    return await submit(ctx.deps, ctx.request, guardianId, input);
  } catch (error) {
    if (error instanceof IdentitySignatureError) {
      await forceLogout(
        ctx.deps,
        ctx.request,
        { sessionId: session.sessionId, subjectType: "GUARDIAN", subjectId: guardianId },
        `${operation}: ${error.reason}`,
      );
    }
    throw error;
  }
}
