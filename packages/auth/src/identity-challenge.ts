import { createHash, randomBytes } from "node:crypto";
import { normalizeInvitationCode } from "./random-secret";

/**
 * Challenge login and join: a guardian proves possession of its Ed25519 identity key
 * by signing a server-issued challenge.
 *
 * Canonical message (the exact bytes that are signed), version 1:
 *
 *   field("conclave-identity-v1") || field(origin) || field(purpose)
 *     || field(challenge) || field(expiresAt)
 *     [ || field(vaultId) || field(invitationBinding) ]   only for "guardian-join"
 *
 * where field(s) = 4-byte big-endian length of UTF-8(s) || UTF-8(s), and
 * - origin is the server origin as the client dialled it, e.g. "https://localhost:8443"
 *   (scheme, lowercase host, port only when not default; URL.origin form),
 * - purpose is one of IDENTITY_PURPOSES,
 * - challenge is the server's base64url challenge (32 random bytes -> 43 characters),
 * - expiresAt is ISO 8601 UTC with milliseconds, Date.prototype.toISOString(),
 * - vaultId is the vault being joined, a lowercase UUID,
 * - invitationBinding is invitationBinding(code), 64 lowercase hex characters.
 *
 * The leading tag separates these signatures from anything else the identity key
 * signs (for instance DKG messages), and the length prefixes make the encoding
 * injective: no two different field lists produce the same bytes. The purpose fixes
 * how many fields follow, so a login message is never a prefix-equal join message.
 * A join signature names one vault and one invitation: it is worthless for any other
 * invitation, vault, origin or for a login.
 *
 * The signature is plain Ed25519 (RFC 8032) over those bytes, verified strictly
 * (canonical encodings only, small-order public keys refused). Checking that origin,
 * purpose, challenge and expiry are the expected ones, and that the challenge is
 * single-use, is the server's job: it rebuilds the message from its own values, so a
 * signature made for another origin or purpose simply does not verify.
 */
export const IDENTITY_TAG = "conclave-identity-v1";
export const IDENTITY_PURPOSES = ["guardian-login", "guardian-join"] as const;
export type IdentityPurpose = (typeof IDENTITY_PURPOSES)[number];
/** Challenges live this long (issue 3: 60 s). */
export const CHALLENGE_TTL_SECONDS = 60;

interface ChallengeFields {
  origin: string;
  challenge: string;
  expiresAt: Date;
}

export type LoginChallengeMessageInput = ChallengeFields & { purpose: "guardian-login" };
export type JoinChallengeMessageInput = ChallengeFields & {
  purpose: "guardian-join";
  vaultId: string;
  invitationBinding: string;
};
export type ChallengeMessageInput = LoginChallengeMessageInput | JoinChallengeMessageInput;

export class ChallengeMessageError extends Error {
  override readonly name = "ChallengeMessageError";
  readonly code = "CHALLENGE_MESSAGE_INVALID";
}

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const VAULT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BINDING = /^[0-9a-f]{64}$/;
const INVITATION_TAG = "conclave-invitation-v1";

/** A fresh challenge: 256 random bits, base64url. */
export function generateChallenge(): string {
  return randomBytes(32).toString("base64url");
}

function canonicalOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : null;
  } catch {
    return null;
  }
}

function field(value: string): Uint8Array {
  const bytes = new TextEncoder().encode(value);
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, false);
  out.set(bytes, 4);
  return out;
}

/** The canonical bytes to sign. Throws ChallengeMessageError on a malformed input. */
export function buildChallengeMessage(input: ChallengeMessageInput): Uint8Array {
  if (canonicalOrigin(input.origin) !== input.origin)
    throw new ChallengeMessageError("origin must be a canonical http(s) origin");
  if (!(IDENTITY_PURPOSES as readonly string[]).includes(input.purpose))
    throw new ChallengeMessageError("unknown purpose");
  if (!CHALLENGE.test(input.challenge))
    throw new ChallengeMessageError("challenge must be 43 base64url characters");
  if (Number.isNaN(input.expiresAt.getTime()))
    throw new ChallengeMessageError("expiresAt is not a valid date");
  const values = [
    IDENTITY_TAG,
    input.origin,
    input.purpose,
    input.challenge,
    input.expiresAt.toISOString(),
  ];
  if (input.purpose === "guardian-join") {
    if (!VAULT_ID.test(input.vaultId))
      throw new ChallengeMessageError("vaultId must be a lowercase UUID");
    if (!BINDING.test(input.invitationBinding))
      throw new ChallengeMessageError("invitationBinding must be 32 bytes as lowercase hex");
    values.push(input.vaultId, input.invitationBinding);
  }
  const fields = values.map(field);
  const out = new Uint8Array(fields.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of fields) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * What a join signature names instead of the invitation code itself: SHA-256 over
 * field("conclave-invitation-v1") || field(code), hex. The code is taken in its
 * canonical form (normalizeInvitationCode), so "abcd-efgh..." and "ABCDEFGH..." bind
 * alike; a code that cannot be canonical is hashed as given (the server then refuses
 * the code itself, as it would without a signature). The code has 140 random bits, so
 * the hash does not reveal it.
 */
export function invitationBinding(code: string): string {
  const canonical = normalizeInvitationCode(code) ?? code;
  return createHash("sha256").update(field(INVITATION_TAG)).update(field(canonical)).digest("hex");
}
