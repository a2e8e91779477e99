import { buildChallengeMessage, invitationBinding } from "@conclave/auth/identity-challenge";
import { verifyIdentitySignature } from "@conclave/auth/identity-signature";
import type { ApiDependencies } from "../../context/api-dependencies";
import { IdentitySignatureError } from "../../errors/identity-signature-error";

export type JoinProof = {
  challengeId?: string | undefined;
  signature?: string | undefined;
  identityPublicKey: string;
  vaultId: string;
  code: string;
};

const refused = (reason: string) => new IdentitySignatureError(reason, "Identity proof failed");

/**
 * Proof that the caller holds the identity key it presents at join. The challenge is
 * spent before the signature is checked (one try per challenge, even when the join
 * fails later), in its own statement so a rolled-back join cannot revive it. The
 * message is rebuilt from the server's own origin, purpose, challenge and expiry and
 * from the vault and invitation code of this very request, so a signature made for a
 * login, another vault, another invitation or another origin does not verify.
 */
export async function verifyJoinProof(deps: ApiDependencies, proof: JoinProof): Promise<void> {
  const { challengeId, signature } = proof;
  if (challengeId === undefined || signature === undefined) throw refused("join_proof_missing");
  const now = deps.clock.now();
  const identityPublicKey = proof.identityPublicKey.toLowerCase();
  const { count } = await deps.prisma.identityChallenge.updateMany({
    where: {
      id: challengeId,
      identityPublicKey,
      purpose: "guardian-join",
      usedAt: null,
      expiresAt: { gt: now },
    },
    data: { usedAt: now },
  });
  if (count !== 1) throw refused("join_challenge_invalid");
  const challenge = await deps.prisma.identityChallenge.findUniqueOrThrow({
    where: { id: challengeId },
  });
  const message = buildChallengeMessage({
    origin: challenge.origin,
    purpose: "guardian-join",
    challenge: challenge.challenge,
    expiresAt: challenge.expiresAt,
    vaultId: proof.vaultId.toLowerCase(),
    invitationBinding: invitationBinding(proof.code),
  });
  if (!verifyIdentitySignature(identityPublicKey, message, signature))
    throw refused("join_signature_invalid");
}
