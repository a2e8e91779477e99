import { verifyIdentitySignature } from "@conclave/auth/identity-signature";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { IdentitySignatureError } from "../../errors/identity-signature-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { recordAudit, guardianActor } from "../audit/record-audit";
import { finishKeygenSubmission } from "./finish-keygen-submission";
import { round2EnvelopeMessage } from "@conclave/frost/dkg-signed-messages";
import type { KeygenSubmissionResult } from "./keygen-submission-result";
import { runKeygenSubmission } from "./run-keygen-submission";

export type Round2Envelope = {
  recipientIndex: number;
  /** Opaque to the server; see @conclave/frost/dkg-signed-messages for the construction. */
  ciphertext: string;
  /** Ed25519 identity signature over round2EnvelopeMessage. */
  signature: string;
};

export type SubmitDkgRound2Input = {
  vaultId: string;
  ceremonyId: string;
  envelopes: Round2Envelope[];
};

const fingerprint = (envelopes: readonly Round2Envelope[]) =>
  JSON.stringify(
    [...envelopes]
      .sort((a, b) => a.recipientIndex - b.recipientIndex)
      .map((e) => [e.recipientIndex, e.ciphertext, e.signature]),
  );

/**
 * Round 2: one envelope from the caller to every other guardian, all at once. The
 * server cannot read them; it checks the sender's identity signature over each, so a
 * recipient can blame the right guardian for a bad share.
 */
export async function submitDkgRound2(
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  input: SubmitDkgRound2Input,
): Promise<KeygenSubmissionResult> {
  return runKeygenSubmission(deps, guardianId, input, {
    round: 2,
    findExisting: async (tx, { ceremony, me }) => {
      const existing = await tx.dkgRound2Envelope.findMany({
        where: { ceremonyId: ceremony.id, senderIndex: me.guardianIndex },
      });
      return existing.length > 0 ? existing : null;
    },
    matchesExisting: (existing) => fingerprint(existing) === fingerprint(input.envelopes),
    conflict: {
      reason: "round2_conflict",
      message: "Different round-2 envelopes were already submitted",
    },
    accept: async (tx, { vault, ceremony, members, me }, now) => {
      const expected = members
        .filter((m) => m.guardianIndex !== me.guardianIndex)
        .map((m) => m.guardianIndex);
      const given = input.envelopes.map((e) => e.recipientIndex).sort((a, b) => a - b);
      if (given.join(",") !== expected.join(",")) {
        throw new InvalidRequestError(
          "recipients_mismatch",
          "Expected exactly one envelope for every other guardian",
        );
      }
      const roundKeys = new Map(
        (await tx.dkgRound1Submission.findMany({ where: { ceremonyId: ceremony.id } })).map((s) => [
          s.guardianIndex,
          s.roundPublicKey,
        ]),
      );
      for (const envelope of input.envelopes) {
        const recipientRoundKey = roundKeys.get(envelope.recipientIndex);
        if (recipientRoundKey === undefined)
          throw new Error("round 2 open without every round key");
        const message = round2EnvelopeMessage(
          {
            vaultId: vault.id,
            ceremonyId: ceremony.id,
            senderIndex: me.guardianIndex,
            recipientIndex: envelope.recipientIndex,
            recipientRoundKey,
          },
          envelope.ciphertext,
        );
        if (!verifyIdentitySignature(me.identityPublicKey, message, envelope.signature)) {
          throw new IdentitySignatureError(
            "invalid_envelope_signature",
            `The envelope for guardian ${envelope.recipientIndex} is not signed by the sender`,
          );
        }
      }
      await tx.dkgRound2Envelope.createMany({
        data: input.envelopes.map((e) => ({
          ceremonyId: ceremony.id,
          senderIndex: me.guardianIndex,
          recipientIndex: e.recipientIndex,
          ciphertext: e.ciphertext,
          signature: e.signature,
          createdAt: now,
        })),
      });
      await recordAudit(tx, meta, {
        actor: guardianActor(guardianId),
        action: "keygen.round2",
        outcome: "SUCCESS",
        target: { type: "dkg_ceremony", id: ceremony.id },
        details: { vaultId: vault.id, guardianIndex: me.guardianIndex, recipients: given },
      });
      const received = await tx.dkgRound2Envelope.count({ where: { ceremonyId: ceremony.id } });
      return finishKeygenSubmission(
        tx,
        deps,
        { vault, ceremony, members, me },
        2,
        received === vault.guardianCount * (vault.guardianCount - 1),
        now,
      );
    },
  });
}
