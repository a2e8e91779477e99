import { verifyIdentitySignature } from "@conclave/auth/identity-signature";
import { FrostInputError } from "@conclave/frost/errors";
import { validateDkgRound1Package } from "@conclave/frost/validate-dkg-round1";
import type { DkgRound1Package } from "@conclave/frost/wire-types";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { IdentitySignatureError } from "../../errors/identity-signature-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { recordAudit, guardianActor } from "../audit/record-audit";
import { dkgRound1PackageColumn } from "../coordination/coordination-json-columns";
import { finishKeygenSubmission } from "./finish-keygen-submission";
import { roundKeyBindingMessage } from "@conclave/frost/dkg-signed-messages";
import type { KeygenSubmissionResult } from "./keygen-submission-result";
import { runKeygenSubmission } from "./run-keygen-submission";

export type SubmitDkgRound1Input = {
  vaultId: string;
  ceremonyId: string;
  package: DkgRound1Package;
  /** X25519 public key (hex) that round-2 envelopes to this guardian are sealed to. */
  roundPublicKey: string;
  /** Ed25519 identity signature over roundKeyBindingMessage. */
  roundKeySignature: string;
};

function fingerprint(value: {
  package: DkgRound1Package;
  roundPublicKey: string;
  roundKeySignature: string;
}): string {
  const { sender, commitments, proofOfKnowledge } = value.package;
  return JSON.stringify([
    sender,
    commitments,
    proofOfKnowledge,
    value.roundPublicKey,
    value.roundKeySignature,
  ]);
}

/** Round 1: the server checks the proof of knowledge and points, then relays the package. */
export async function submitDkgRound1(
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  input: SubmitDkgRound1Input,
): Promise<KeygenSubmissionResult> {
  return runKeygenSubmission(deps, guardianId, input, {
    round: 1,
    findExisting: (tx, { ceremony, me }) =>
      tx.dkgRound1Submission.findUnique({
        where: {
          ceremonyId_guardianIndex: { ceremonyId: ceremony.id, guardianIndex: me.guardianIndex },
        },
      }),
    matchesExisting: (existing) =>
      fingerprint({
        package: dkgRound1PackageColumn.read(existing.package),
        roundPublicKey: existing.roundPublicKey,
        roundKeySignature: existing.roundKeySignature,
      }) === fingerprint(input),
    conflict: {
      reason: "round1_conflict",
      message: "A different round-1 package was already submitted",
    },
    accept: async (tx, { vault, ceremony, members, me }, now) => {
      if (input.package.sender !== me.guardianIndex) {
        throw new InvalidRequestError(
          "sender_mismatch",
          "The package names another guardian as sender",
        );
      }
      try {
        validateDkgRound1Package(input.package, {
          threshold: vault.threshold,
          participants: vault.guardianCount,
        });
      } catch (error) {
        if (!(error instanceof FrostInputError)) throw error;
        throw new InvalidRequestError(
          "invalid_round1_package",
          `Round-1 package rejected at ${error.field} (${error.reason})`,
        );
      }
      const binding = roundKeyBindingMessage({
        vaultId: vault.id,
        ceremonyId: ceremony.id,
        guardianIndex: me.guardianIndex,
        roundPublicKey: input.roundPublicKey,
      });
      if (!verifyIdentitySignature(me.identityPublicKey, binding, input.roundKeySignature)) {
        throw new IdentitySignatureError(
          "invalid_round_key_signature",
          "The round key signature does not verify",
        );
      }
      await tx.dkgRound1Submission.create({
        data: {
          ceremonyId: ceremony.id,
          guardianIndex: me.guardianIndex,
          guardianId,
          package: dkgRound1PackageColumn.write(input.package),
          roundPublicKey: input.roundPublicKey,
          roundKeySignature: input.roundKeySignature,
          createdAt: now,
        },
      });
      await recordAudit(tx, meta, {
        actor: guardianActor(guardianId),
        action: "keygen.round1",
        outcome: "SUCCESS",
        target: { type: "dkg_ceremony", id: ceremony.id },
        details: { vaultId: vault.id, guardianIndex: me.guardianIndex },
      });
      const received = await tx.dkgRound1Submission.count({ where: { ceremonyId: ceremony.id } });
      return finishKeygenSubmission(
        tx,
        deps,
        { vault, ceremony, members, me },
        1,
        received === vault.guardianCount,
        now,
      );
    },
  });
}
