import { generateChallenge } from "@conclave/auth/identity-challenge";
import { isValidIdentityPublicKey } from "@conclave/auth/identity-signature";
import type { IdentityPurpose } from "@conclave/auth/identity-challenge";
import type { ApiDependencies } from "../../context/api-dependencies";
import { InvalidRequestError } from "../../errors/invalid-request-error";

export type IdentityChallenge<P extends IdentityPurpose> = {
  challengeId: string;
  challenge: string;
  origin: string;
  purpose: P;
  expiresAt: Date;
};

// Issued whether or not the key belongs to a guardian (and, for a join, whatever the
// vault), so the endpoint does not reveal which identity keys are enrolled. The row
// is single-use and names its purpose: a login challenge cannot serve a join.
export async function issueIdentityChallenge<P extends IdentityPurpose>(
  deps: ApiDependencies,
  purpose: P,
  input: { identityPublicKey: string },
): Promise<IdentityChallenge<P>> {
  if (!isValidIdentityPublicKey(input.identityPublicKey))
    throw new InvalidRequestError("identity_key_invalid");
  const now = deps.clock.now();
  const row = await deps.prisma.identityChallenge.create({
    data: {
      identityPublicKey: input.identityPublicKey.toLowerCase(),
      challenge: generateChallenge(),
      purpose,
      origin: deps.config.guardianOrigin,
      expiresAt: new Date(now.getTime() + deps.config.challengeTtlMs),
      createdAt: now,
    },
  });
  return {
    challengeId: row.id,
    challenge: row.challenge,
    origin: row.origin,
    purpose,
    expiresAt: row.expiresAt,
  };
}
