import type { ApiDependencies } from "../context/api-dependencies";
import type { RequestMeta } from "../context/request-facts";
import type { Principal } from "../rbac/principal";
import { requireSessionPrincipal } from "../rbac/require-session-principal";
import { recordCoordinationDenials } from "../services/coordination/record-coordination-denials";

export type GuardianSubmit<TInput, TResult> = (
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  input: TInput,
) => Promise<TResult>;

/**
 * Keygen and signing submissions come only from a signed-in guardian, and a refused
 * one is recorded against that guardian for abuse review.
 */
export function runGuardianSubmission<TInput, TResult>(
  ctx: { deps: ApiDependencies; request: RequestMeta; principal: Principal },
  operation: string,
  submit: GuardianSubmit<TInput, TResult>,
  input: TInput,
): Promise<TResult> {
  const guardianId = requireSessionPrincipal(ctx.principal).subjectId;
  return recordCoordinationDenials(
    ctx.deps,
    ctx.request,
    { subjectType: "GUARDIAN", subjectId: guardianId },
    operation,
    () => submit(ctx.deps, ctx.request, guardianId, input),
  );
}
