import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { z } from "zod";

/**
 * The JWT signing keyring (env JWT_KEYRING, JSON). Every key is Ed25519 and its kid
 * is the RFC 7638 SHA-256 thumbprint of its public JWK, so a kid can never point at
 * a different key than the one it names.
 *
 * Exactly one key is active (no retiredAt) and signs. Rotation retires it and adds a
 * new active key; a retired key keeps verifying tokens issued before its retirement
 * until those tokens can no longer be valid (retiredAt + VERIFY_GRACE_SECONDS), after
 * which pruneKeyring removes it.
 *
 * JSON shape: { "keys": [ { "kid", "privateJwk", "publicJwk", "createdAt", "retiredAt"? } ] }
 * with ISO 8601 timestamps.
 */

/** Longest lifetime of any token signed from the keyring (access tokens: 15 min). */
export const MAX_TOKEN_LIFETIME_SECONDS = 15 * 60;
/** Accepted clock skew between servers and clients. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** How long after retirement a key still verifies. */
export const VERIFY_GRACE_SECONDS = MAX_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS;

const base64url = (bytes: number) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`));

const publicJwkSchema = z.strictObject({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: base64url(32),
});
const privateJwkSchema = publicJwkSchema.extend({ d: base64url(32) });

export type Ed25519PublicJwk = z.infer<typeof publicJwkSchema>;
export type Ed25519PrivateJwk = z.infer<typeof privateJwkSchema>;

const keySchema = z.strictObject({
  kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  privateJwk: privateJwkSchema,
  publicJwk: publicJwkSchema,
  createdAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  retiredAt: z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .optional(),
});

const keyringSchema = z.strictObject({ keys: z.array(keySchema).min(1).max(16) });

export interface KeyringKey {
  kid: string;
  privateJwk: Ed25519PrivateJwk;
  publicJwk: Ed25519PublicJwk;
  createdAt: Date;
  retiredAt?: Date;
}

export interface Keyring {
  readonly keys: readonly KeyringKey[];
}

export class KeyringError extends Error {
  override readonly name = "KeyringError";
  readonly code = "KEYRING_INVALID";
}

export async function generateKeyringKey(now: Date): Promise<KeyringKey> {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  const privateJwk = privateJwkSchema.parse({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d });
  const publicJwk: Ed25519PublicJwk = { kty: "OKP", crv: "Ed25519", x: privateJwk.x };
  return {
    kid: await calculateJwkThumbprint(publicJwk, "sha256"),
    privateJwk,
    publicJwk,
    createdAt: now,
  };
}

/** A keyring holding one fresh active key. */
export async function createKeyring(now: Date): Promise<Keyring> {
  return { keys: [await generateKeyringKey(now)] };
}

export function activeKey(keyring: Keyring): KeyringKey {
  const active = keyring.keys.filter((key) => key.retiredAt === undefined);
  const [only] = active;
  if (active.length !== 1 || only === undefined)
    throw new KeyringError("keyring must have exactly one active key");
  return only;
}

/** Retires the active key at `now` and adds a new active one. Returns a new keyring. */
export async function rotateKeyring(keyring: Keyring, now: Date): Promise<Keyring> {
  const previous = activeKey(keyring);
  const next = await generateKeyringKey(now);
  return {
    keys: [
      ...keyring.keys.map((key) => (key === previous ? { ...key, retiredAt: now } : key)),
      next,
    ],
  };
}

/** Whether `key` may still verify a token at `now`. */
export function canVerifyAt(key: KeyringKey, now: Date): boolean {
  return (
    key.retiredAt === undefined ||
    now.getTime() <= key.retiredAt.getTime() + VERIFY_GRACE_SECONDS * 1000
  );
}

/** Drops retired keys whose tokens have all expired. Returns a new keyring. */
export function pruneKeyring(keyring: Keyring, now: Date): Keyring {
  return { keys: keyring.keys.filter((key) => canVerifyAt(key, now)) };
}

/** Parses and checks JWT_KEYRING. Errors name the problem, never key material. */
export async function parseKeyring(json: string): Promise<Keyring> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new KeyringError("JWT keyring is not valid JSON");
  }
  const parsed = keyringSchema.safeParse(raw);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.join(".") || "(root)");
    throw new KeyringError(`JWT keyring has invalid fields: ${[...new Set(paths)].join(", ")}`);
  }
  const keys: KeyringKey[] = parsed.data.keys.map((key) => ({
    kid: key.kid,
    privateJwk: key.privateJwk,
    publicJwk: key.publicJwk,
    createdAt: key.createdAt,
    ...(key.retiredAt === undefined ? {} : { retiredAt: key.retiredAt }),
  }));
  const kids = new Set<string>();
  for (const [index, key] of keys.entries()) {
    if (key.publicJwk.x !== key.privateJwk.x)
      throw new KeyringError(`JWT keyring key ${index}: public and private parts differ`);
    if ((await calculateJwkThumbprint(key.publicJwk, "sha256")) !== key.kid) {
      throw new KeyringError(
        `JWT keyring key ${index}: kid is not the thumbprint of its public key`,
      );
    }
    if (kids.has(key.kid)) throw new KeyringError(`JWT keyring key ${index}: duplicate kid`);
    kids.add(key.kid);
  }
  const keyring: Keyring = { keys };
  activeKey(keyring);
  return keyring;
}

export function serializeKeyring(keyring: Keyring): string {
  return JSON.stringify({
    keys: keyring.keys.map((key) => ({
      kid: key.kid,
      privateJwk: key.privateJwk,
      publicJwk: key.publicJwk,
      createdAt: key.createdAt.toISOString(),
      ...(key.retiredAt === undefined ? {} : { retiredAt: key.retiredAt.toISOString() }),
    })),
  });
}

export interface PublicJwk extends Ed25519PublicJwk {
  kid: string;
  alg: "EdDSA";
  use: "sig";
}

/** The body of /.well-known/jwks.json: public parts of every key that still verifies. */
export function publicJwks(keyring: Keyring, now: Date): { keys: PublicJwk[] } {
  return {
    keys: keyring.keys
      .filter((key) => canVerifyAt(key, now))
      .map((key) => ({
        kty: "OKP",
        crv: "Ed25519",
        x: key.publicJwk.x,
        kid: key.kid,
        alg: "EdDSA",
        use: "sig",
      })),
  };
}
