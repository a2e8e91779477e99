import { generateChallenge, isValidIdentityPublicKey } from "@conclave/auth/identity-challenge";
import type { IdentityPurpose } from "@conclave/auth/identity-challenge";
import type { ApiDependencies } from "../../context/api-dependencies";
import { InvalidRequestError } from "../../errors/invalid-request-error";

export type LoginChallenge = {
  challengeId: string;
  challenge: string;
  origin: string;
  purpose: Extract<IdentityPurpose, "guardian-login">;
  expiresAt: Date;
};

// Issued whether or not the key belongs to a guardian, so the endpoint does not
// reveal which identity keys are enrolled.
export async function issueLoginChallenge(
  deps: ApiDependencies,
  input: { identityPublicKey: string },
): Promise<LoginChallenge> {
  if (!isValidIdentityPublicKey(input.identityPublicKey))
    throw new InvalidRequestError("identity_key_invalid");
  const now = deps.clock.now();
  const row = await deps.prisma.identityChallenge.create({
    data: {
      identityPublicKey: input.identityPublicKey.toLowerCase(),
      challenge: generateChallenge(),
      purpose: "guardian-login",
      origin: deps.config.guardianOrigin,
      expiresAt: new Date(now.getTime() + deps.config.challengeTtlMs),
      createdAt: now,
    },
  });
  return {
    challengeId: row.id,
    challenge: row.challenge,
    origin: row.origin,
    purpose: "guardian-login",
    expiresAt: row.expiresAt,
  };
}
