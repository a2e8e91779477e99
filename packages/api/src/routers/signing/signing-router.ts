import {
  commitInput,
  signingSubmissionOutput,
  submitShareInput,
} from "../../schemas/coordination-schemas";
import { submitCommitment } from "../../services/signing/submit-commitment";
import { submitSignatureShare } from "../../services/signing/submit-signature-share";
import { router, vaultProcedure } from "../../trpc";
import { runGuardianSubmission } from "../run-guardian-submission";

export const signingRouter = router({
  /** Approval: this guardian's round-1 commitments for (transaction, attempt). */
  commit: vaultProcedure("signing.participate", {
    limit: "signingAttempt",
    recordDenials: "signing.commit",
  })
    .input(commitInput)
    .output(signingSubmissionOutput)
    .mutation(({ ctx, input }) =>
      runGuardianSubmission(ctx, "signing.commit", submitCommitment, input),
    ),

  submitShare: vaultProcedure("signing.participate", {
    limit: "signingAttempt",
    recordDenials: "signing.submitShare",
  })
    .input(submitShareInput)
    .output(signingSubmissionOutput)
    .mutation(({ ctx, input }) =>
      runGuardianSubmission(ctx, "signing.submitShare", submitSignatureShare, input),
    ),
});
