import { buildChallengeMessage, invitationBinding } from "@conclave/auth/identity-challenge";
import { ed25519 } from "@noble/curves/ed25519.js";
import type { RequestMeta } from "../../src/context/request-facts";
import { issueIdentityChallenge } from "../../src/services/auth/issue-identity-challenge";
import type { IdentityChallenge } from "../../src/services/auth/issue-identity-challenge";
import type { JoinedGuardian } from "../../src/services/auth/join-guardian";
import { joinGuardian } from "../../src/services/auth/join-guardian";
import type { TestApi } from "./test-api";

/** A join challenge as the service returns it (Date) or as the wire carries it (ISO string). */
export type JoinChallenge = Omit<IdentityChallenge<"guardian-join">, "expiresAt"> & {
  expiresAt: Date | string;
};

/** The signature a client makes over a join challenge for one vault and invitation code. */
export function signJoinChallenge(
  secretKey: Uint8Array,
  challenge: JoinChallenge,
  binding: { vaultId: string; code: string; origin?: string },
): string {
  const message = buildChallengeMessage({
    origin: binding.origin ?? challenge.origin,
    purpose: "guardian-join",
    challenge: challenge.challenge,
    expiresAt: new Date(challenge.expiresAt),
    vaultId: binding.vaultId.toLowerCase(),
    invitationBinding: invitationBinding(binding.code),
  });
  return Buffer.from(ed25519.sign(message, secretKey)).toString("hex");
}

/** A join as the SDK makes it: a join challenge, signed with the identity key, then join. */
export async function signedJoin(
  api: TestApi,
  meta: RequestMeta,
  input: {
    vaultId: string;
    code: string;
    identity: { secretKey: Uint8Array; publicKeyHex: string };
    displayName?: string;
    deviceName?: string;
  },
): Promise<JoinedGuardian> {
  const challenge = await issueIdentityChallenge(api.deps, "guardian-join", {
    identityPublicKey: input.identity.publicKeyHex,
  });
  return joinGuardian(api.deps, meta, {
    vaultId: input.vaultId,
    code: input.code,
    identityPublicKey: input.identity.publicKeyHex,
    challengeId: challenge.challengeId,
    signature: signJoinChallenge(input.identity.secretKey, challenge, input),
    displayName: input.displayName ?? "Guardian",
    deviceName: input.deviceName ?? "laptop",
  });
}
