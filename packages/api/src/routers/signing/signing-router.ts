import {
  commitInput,
  signingSubmissionOutput,
  submitShareInput,
} from "../../schemas/coordination-schemas";
import { requireSessionPrincipal } from "../../rbac/require-session-principal";
import { recordCoordinationDenials } from "../../services/coordination/record-coordination-denials";
import { submitCommitment } from "../../services/signing/submit-commitment";
import { submitSignatureShare } from "../../services/signing/submit-signature-share";
import { router, vaultProcedure } from "../../trpc";

export const signingRouter = router({
  /** Approval: this guardian's round-1 commitments for (transaction, attempt). */
  commit: vaultProcedure("signing.participate")
    .input(commitInput)
    .output(signingSubmissionOutput)
    .mutation(({ ctx, input }) => {
      const guardianId = requireSessionPrincipal(ctx.principal).subjectId;
      return recordCoordinationDenials(
        ctx.deps,
        ctx.request,
        { subjectType: "GUARDIAN", subjectId: guardianId },
        "signing.commit",
        () => submitCommitment(ctx.deps, ctx.request, guardianId, input),
      );
    }),

  submitShare: vaultProcedure("signing.participate")
    .input(submitShareInput)
    .output(signingSubmissionOutput)
    .mutation(({ ctx, input }) => {
      const guardianId = requireSessionPrincipal(ctx.principal).subjectId;
      return recordCoordinationDenials(
        ctx.deps,
        ctx.request,
        { subjectType: "GUARDIAN", subjectId: guardianId },
        "signing.submitShare",
        () => submitSignatureShare(ctx.deps, ctx.request, guardianId, input),
      );
    }),
});
