import { z } from "zod";
import {
  keygenStateOutput,
  keygenSubmissionOutput,
  submitRound1Input,
  submitRound2Input,
  submitRound3Input,
} from "../../schemas/coordination-schemas";
import { entityId } from "../../schemas/identity-input-schemas";
import { requireSessionPrincipal } from "../../rbac/require-session-principal";
import { getKeygenState } from "../../services/keygen/get-keygen-state";
import { submitDkgRound1 } from "../../services/keygen/submit-dkg-round1";
import { submitDkgRound2 } from "../../services/keygen/submit-dkg-round2";
import { submitDkgRound3 } from "../../services/keygen/submit-dkg-round3";
import { router, vaultProcedure } from "../../trpc";
import { runGuardianSubmission } from "../run-guardian-submission";

export const keygenRouter = router({
  state: vaultProcedure("keygen.participate")
    .input(z.strictObject({ vaultId: entityId }))
    .output(keygenStateOutput)
    .query(({ ctx, input }) =>
      getKeygenState(ctx.deps, requireSessionPrincipal(ctx.principal).subjectId, input.vaultId),
    ),

  submitRound1: vaultProcedure("keygen.participate", { recordDenials: "keygen.submitRound1" })
    .input(submitRound1Input)
    .output(keygenSubmissionOutput)
    .mutation(({ ctx, input }) =>
      runGuardianSubmission(ctx, "keygen.submitRound1", submitDkgRound1, input),
    ),

  submitRound2: vaultProcedure("keygen.participate", { recordDenials: "keygen.submitRound2" })
    .input(submitRound2Input)
    .output(keygenSubmissionOutput)
    .mutation(({ ctx, input }) =>
      runGuardianSubmission(ctx, "keygen.submitRound2", submitDkgRound2, input),
    ),

  submitRound3: vaultProcedure("keygen.participate", { recordDenials: "keygen.submitRound3" })
    .input(submitRound3Input)
    .output(keygenSubmissionOutput)
    .mutation(({ ctx, input }) =>
      runGuardianSubmission(ctx, "keygen.submitRound3", submitDkgRound3, input),
    ),
});
