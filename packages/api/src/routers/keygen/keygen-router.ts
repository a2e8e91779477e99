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
import { getKeygenState } from "../../services/dkg/get-keygen-state";
import { submitDkgRound1 } from "../../services/dkg/submit-dkg-round1";
import { submitDkgRound2 } from "../../services/dkg/submit-dkg-round2";
import { submitDkgRound3 } from "../../services/dkg/submit-dkg-round3";
import { router, vaultProcedure } from "../../trpc";
import { runGuardianSubmission } from "../run-guardian-submission";

const participate = () => vaultProcedure("keygen.participate");

export const keygenRouter = router({
  state: participate()
    .input(z.strictObject({ vaultId: entityId }))
    .output(keygenStateOutput)
    .query(({ ctx, input }) =>
      getKeygenState(ctx.deps, requireSessionPrincipal(ctx.principal).subjectId, input.vaultId),
    ),

  submitRound1: participate()
    .input(submitRound1Input)
    .output(keygenSubmissionOutput)
    .mutation(({ ctx, input }) =>
      runGuardianSubmission(ctx, "keygen.submitRound1", submitDkgRound1, input),
    ),

  submitRound2: participate()
    .input(submitRound2Input)
    .output(keygenSubmissionOutput)
    .mutation(({ ctx, input }) =>
      runGuardianSubmission(ctx, "keygen.submitRound2", submitDkgRound2, input),
    ),

  submitRound3: participate()
    .input(submitRound3Input)
    .output(keygenSubmissionOutput)
    .mutation(({ ctx, input }) =>
      runGuardianSubmission(ctx, "keygen.submitRound3", submitDkgRound3, input),
    ),
});
