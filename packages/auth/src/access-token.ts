import { randomBytes } from "node:crypto";
import { decodeProtectedHeader, errors, importJWK, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { activeKey, canVerifyAt, CLOCK_TOLERANCE_SECONDS } from "./jwt-keyring";
import type { Keyring, KeyringKey } from "./jwt-keyring";

/**
 * Access tokens: compact JWS, EdDSA (Ed25519), header { alg, kid, typ: "at+jwt" }
 * (RFC 9068), claims exactly { iss, aud, sub, sid, role, jti, iat, exp }, 15 minutes.
 * The typ header is what keeps any other JWT signed from the same keyring from being
 * accepted as an access token.
 */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const ACCESS_TOKEN_TYP = "at+jwt";
const ALGORITHM = "EdDSA";
const MAX_TOKEN_LENGTH = 4096;

export const ROLES = ["ADMIN", "GUARDIAN", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

const identifier = z.string().min(1).max(128);

const accessTokenInputSchema = z.strictObject({
  iss: identifier,
  aud: identifier,
  sub: identifier,
  sid: identifier,
  role: z.enum(ROLES),
});
export type AccessTokenInput = z.infer<typeof accessTokenInputSchema>;

const accessTokenClaimsSchema = accessTokenInputSchema.extend({
  jti: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().nonnegative(),
});
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

export type TokenErrorCode =
  | "TOKEN_MALFORMED"
  | "TOKEN_ALGORITHM_NOT_ALLOWED"
  | "TOKEN_WRONG_TYPE"
  | "TOKEN_UNKNOWN_KEY"
  | "TOKEN_BAD_SIGNATURE"
  | "TOKEN_EXPIRED"
  | "TOKEN_NOT_YET_VALID"
  | "TOKEN_WRONG_ISSUER"
  | "TOKEN_WRONG_AUDIENCE"
  | "TOKEN_INVALID_CLAIMS";

const MESSAGES: Record<TokenErrorCode, string> = {
  TOKEN_MALFORMED: "access token is malformed",
  TOKEN_ALGORITHM_NOT_ALLOWED: "access token algorithm is not allowed",
  TOKEN_WRONG_TYPE: "token is not an access token",
  TOKEN_UNKNOWN_KEY: "access token key is unknown",
  TOKEN_BAD_SIGNATURE: "access token signature is invalid",
  TOKEN_EXPIRED: "access token has expired",
  TOKEN_NOT_YET_VALID: "access token is not valid yet",
  TOKEN_WRONG_ISSUER: "access token issuer is wrong",
  TOKEN_WRONG_AUDIENCE: "access token audience is wrong",
  TOKEN_INVALID_CLAIMS: "access token claims are invalid",
};

/** Verification failure. Messages are fixed per code and never quote the token. */
export class TokenError extends Error {
  override readonly name = "TokenError";
  constructor(readonly code: TokenErrorCode) {
    super(MESSAGES[code]);
  }
}

type JoseKey = Awaited<ReturnType<typeof importJWK>>;
const privateKeys = new WeakMap<KeyringKey, Promise<JoseKey>>();
const publicKeys = new WeakMap<KeyringKey, Promise<JoseKey>>();

function cached(
  cache: WeakMap<KeyringKey, Promise<JoseKey>>,
  key: KeyringKey,
  load: () => Promise<JoseKey>,
) {
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = load();
    cache.set(key, entry);
  }
  return entry;
}

export interface SignedAccessToken {
  token: string;
  claims: AccessTokenClaims;
}

/** Signs a 15-minute access token with the keyring's active key. */
export async function signAccessToken(
  keyring: Keyring,
  input: AccessTokenInput,
  now: Date,
): Promise<SignedAccessToken> {
  const base = accessTokenInputSchema.parse(input);
  const key = activeKey(keyring);
  const iat = Math.floor(now.getTime() / 1000);
  const claims: AccessTokenClaims = {
    ...base,
    jti: randomBytes(16).toString("base64url"),
    iat,
    exp: iat + ACCESS_TOKEN_TTL_SECONDS,
  };
  const signingKey = await cached(privateKeys, key, () =>
    importJWK({ ...key.privateJwk, alg: ALGORITHM }, ALGORITHM),
  );
  const token = await new SignJWT({ sid: claims.sid, role: claims.role })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setSubject(claims.sub)
    .setJti(claims.jti)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(signingKey);
  return { token, claims };
}

export interface VerifyAccessTokenOptions {
  /** The issuer this server expects. */
  iss: string;
  /** The audience of the front door doing the check (one per front door). */
  aud: string;
  now: Date;
}

function readHeader(token: string): { kid: string } {
  if (token.length > MAX_TOKEN_LENGTH || token.split(".").length !== 3)
    throw new TokenError("TOKEN_MALFORMED");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new TokenError("TOKEN_MALFORMED");
  }
  if (header.alg !== ALGORITHM) throw new TokenError("TOKEN_ALGORITHM_NOT_ALLOWED");
  if (header.typ !== ACCESS_TOKEN_TYP) throw new TokenError("TOKEN_WRONG_TYPE");
  if (typeof header.kid !== "string") throw new TokenError("TOKEN_UNKNOWN_KEY");
  return { kid: header.kid };
}

function mapJoseError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof errors.JWTExpired) return new TokenError("TOKEN_EXPIRED");
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new TokenError("TOKEN_BAD_SIGNATURE");
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new TokenError("TOKEN_ALGORITHM_NOT_ALLOWED");
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case "iss":
        return new TokenError("TOKEN_WRONG_ISSUER");
      case "aud":
        return new TokenError("TOKEN_WRONG_AUDIENCE");
      case "typ":
        return new TokenError("TOKEN_WRONG_TYPE");
      case "iat":
      case "nbf":
        return new TokenError(
          error.reason === "check_failed" ? "TOKEN_NOT_YET_VALID" : "TOKEN_INVALID_CLAIMS",
        );
      default:
        return new TokenError("TOKEN_INVALID_CLAIMS");
    }
  }
  return new TokenError("TOKEN_MALFORMED");
}

/**
 * Verifies an access token: algorithm pinned to EdDSA, typ pinned to at+jwt, key
 * chosen by kid among keys that still verify (unknown kid refused, no fallback to
 * other keys), iss and aud pinned, 30 s clock tolerance on exp, nbf and iat, every
 * claim required and type-checked. Throws TokenError.
 */
export async function verifyAccessToken(
  keyring: Keyring,
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<AccessTokenClaims> {
  const { kid } = readHeader(token);
  const key = keyring.keys.find((candidate) => candidate.kid === kid);
  if (key === undefined || !canVerifyAt(key, options.now))
    throw new TokenError("TOKEN_UNKNOWN_KEY");
  let payload: unknown;
  try {
    const publicKey = await cached(publicKeys, key, () =>
      importJWK({ ...key.publicJwk, alg: ALGORITHM }, ALGORITHM),
    );
    ({ payload } = await jwtVerify(token, publicKey, {
      algorithms: [ALGORITHM],
      typ: ACCESS_TOKEN_TYP,
      issuer: options.iss,
      audience: options.aud,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
      currentDate: options.now,
      requiredClaims: ["iss", "aud", "sub", "sid", "role", "jti", "iat", "exp"],
    }));
  } catch (error) {
    throw mapJoseError(error);
  }
  const parsed = accessTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) throw new TokenError("TOKEN_INVALID_CLAIMS");
  const claims = parsed.data;
  if (claims.exp - claims.iat !== ACCESS_TOKEN_TTL_SECONDS)
    throw new TokenError("TOKEN_INVALID_CLAIMS");
  // A retired key signs nothing new: a token claiming a later iat was not ours.
  if (
    key.retiredAt !== undefined &&
    claims.iat * 1000 > key.retiredAt.getTime() + CLOCK_TOLERANCE_SECONDS * 1000
  ) {
    throw new TokenError("TOKEN_UNKNOWN_KEY");
  }
  return claims;
}
