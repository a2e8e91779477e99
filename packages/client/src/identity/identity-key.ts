import { ed25519 } from "@noble/curves/ed25519.js";
import { buildChallengeMessage, invitationBinding } from "@conclave/auth/identity-challenge";
import type { ChallengeMessageInput, IdentityPurpose } from "@conclave/auth/identity-challenge";

export interface IdentityKey {
  /** 32-byte Ed25519 secret key, hex. Lives only in the 0600 state file. */
  readonly secretKeyHex: string;
  readonly publicKeyHex: string;
}

export function generateIdentityKey(): IdentityKey {
  const secretKey = ed25519.utils.randomSecretKey();
  return {
    secretKeyHex: Buffer.from(secretKey).toString("hex"),
    publicKeyHex: Buffer.from(ed25519.getPublicKey(secretKey)).toString("hex"),
  };
}

export interface ServerChallenge<P extends IdentityPurpose> {
  readonly challenge: string;
  readonly origin: string;
  readonly purpose: P;
  readonly expiresAt: string;
}
export type LoginChallenge = ServerChallenge<"guardian-login">;
export type JoinChallenge = ServerChallenge<"guardian-join">;

export class ChallengeRefusedError extends Error {
  override readonly name = "ChallengeRefusedError";
}

// A server (or a proxy in between) must not collect a signature valid for another
// origin, so the client signs only challenges naming the origin it dialled.
function signFor(
  identity: IdentityKey,
  expectedOrigin: string,
  challenge: ServerChallenge<IdentityPurpose>,
  message: (fields: {
    origin: string;
    challenge: string;
    expiresAt: Date;
  }) => ChallengeMessageInput,
): string {
  if (challenge.origin !== expectedOrigin) {
    throw new ChallengeRefusedError(
      `the server asked to sign for ${challenge.origin}, not ${expectedOrigin}`,
    );
  }
  const bytes = buildChallengeMessage(
    message({
      origin: expectedOrigin,
      challenge: challenge.challenge,
      expiresAt: new Date(challenge.expiresAt),
    }),
  );
  return Buffer.from(ed25519.sign(bytes, Buffer.from(identity.secretKeyHex, "hex"))).toString(
    "hex",
  );
}

/** Signs a server login challenge for the origin this client dialled. */
export function signLoginChallenge(
  identity: IdentityKey,
  expectedOrigin: string,
  challenge: LoginChallenge,
): string {
  return signFor(identity, expectedOrigin, challenge, (fields) => ({
    ...fields,
    purpose: "guardian-login",
  }));
}

/**
 * Signs a server join challenge for the origin this client dialled, naming the vault
 * and (by its hash) the invitation code being redeemed: the proof that this client
 * holds the identity key it enrols, useless for any other invitation.
 */
export function signJoinChallenge(
  identity: IdentityKey,
  expectedOrigin: string,
  challenge: JoinChallenge,
  invitation: { vaultId: string; code: string },
): string {
  return signFor(identity, expectedOrigin, challenge, (fields) => ({
    ...fields,
    purpose: "guardian-join",
    vaultId: invitation.vaultId.toLowerCase(),
    invitationBinding: invitationBinding(invitation.code),
  }));
}
