import { verifyChallengeSignature } from "@conclave/auth/identity-challenge";
import { FrostInputError } from "@conclave/frost/errors";
import { validateDkgRound1Package } from "@conclave/frost/validate-dkg-round1";
import type { DkgRound1Package } from "@conclave/frost/wire-types";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { auditCoordination, guardianActor } from "../coordination/coordination-audit";
import { runCoordination } from "../coordination/coordination-transaction";
import { appendGuardianEvents } from "../events/append-guardian-events";
import { advanceKeygenRound } from "./advance-keygen-round";
import { roundKeyBindingMessage } from "@conclave/frost/dkg-signed-messages";
import type { KeygenSubmissionResult } from "./keygen-submission-result";
import { assertRoundOpen, loadCeremonyForGuardian } from "./load-open-ceremony";

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
  const now = deps.clock.now();
  return runCoordination<KeygenSubmissionResult>(deps, async (tx) => {
    const { vault, ceremony, members, me } = await loadCeremonyForGuardian(
      tx,
      input.vaultId,
      input.ceremonyId,
      guardianId,
    );
    const existing = await tx.dkgRound1Submission.findUnique({
      where: {
        ceremonyId_guardianIndex: { ceremonyId: ceremony.id, guardianIndex: me.guardianIndex },
      },
    });
    if (existing) {
      const stored = {
        package: existing.package as unknown as DkgRound1Package,
        roundPublicKey: existing.roundPublicKey,
        roundKeySignature: existing.roundKeySignature,
      };
      if (fingerprint(stored) !== fingerprint(input)) {
        throw new ConflictError(
          "round1_conflict",
          "A different round-1 package was already submitted",
        );
      }
      return {
        result: {
          ceremonyId: ceremony.id,
          round: ceremony.round,
          status: ceremony.status,
          duplicate: true,
        },
        notices: [],
      };
    }
    assertRoundOpen(ceremony, 1, now);
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
    if (!verifyChallengeSignature(me.identityPublicKey, binding, input.roundKeySignature)) {
      throw new InvalidRequestError(
        "invalid_round_key_signature",
        "The round key signature does not verify",
      );
    }
    await tx.dkgRound1Submission.create({
      data: {
        ceremonyId: ceremony.id,
        guardianIndex: me.guardianIndex,
        guardianId,
        package: { ...input.package },
        roundPublicKey: input.roundPublicKey,
        roundKeySignature: input.roundKeySignature,
        createdAt: now,
      },
    });
    await auditCoordination(tx, meta, {
      actor: guardianActor(guardianId),
      action: "keygen.round1",
      outcome: "SUCCESS",
      target: { type: "dkg_ceremony", id: ceremony.id },
      details: { vaultId: vault.id, guardianIndex: me.guardianIndex },
    });
    const received = await tx.dkgRound1Submission.count({ where: { ceremonyId: ceremony.id } });
    const complete = received === vault.guardianCount;
    const events = complete
      ? await advanceKeygenRound(tx, deps, vault.id, ceremony, members, 2, now)
      : [];
    const notices = await appendGuardianEvents(tx, now, events);
    return {
      result: {
        ceremonyId: ceremony.id,
        round: complete ? 2 : 1,
        status: "OPEN",
        duplicate: false,
      },
      notices,
    };
  });
}
