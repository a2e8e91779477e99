import { ed25519 } from "@noble/curves/ed25519.js";
import { buildChallengeMessage } from "@conclave/auth/identity-challenge";

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

export interface LoginChallenge {
  readonly challenge: string;
  readonly origin: string;
  readonly purpose: "guardian-login";
  readonly expiresAt: string;
}

export class ChallengeRefusedError extends Error {
  override readonly name = "ChallengeRefusedError";
}

/**
 * Signs a server login challenge, but only one that names the origin this client dialled:
 * a server (or a proxy in between) cannot collect a signature valid for another origin.
 */
export function signLoginChallenge(
  identity: IdentityKey,
  expectedOrigin: string,
  challenge: LoginChallenge,
): string {
  if (challenge.origin !== expectedOrigin) {
    throw new ChallengeRefusedError(
      `the server asked to sign for ${challenge.origin}, not ${expectedOrigin}`,
    );
  }
  const message = buildChallengeMessage({
    origin: expectedOrigin,
    purpose: challenge.purpose,
    challenge: challenge.challenge,
    expiresAt: new Date(challenge.expiresAt),
  });
  return Buffer.from(ed25519.sign(message, Buffer.from(identity.secretKeyHex, "hex"))).toString(
    "hex",
  );
}
