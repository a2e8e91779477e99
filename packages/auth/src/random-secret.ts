import { randomBytes, randomInt } from "node:crypto";

/** Crockford base32: no I, L, O, U, so codes survive being read aloud or retyped. */
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function randomSymbols(count: number, alphabet: string): string {
  let out = "";
  // randomInt is rejection-sampled, so every symbol is uniform.
  for (let i = 0; i < count; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}

/** `bytes` random bytes, base64url without padding. */
export function randomToken(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 1024) {
    throw new RangeError("randomToken needs an integer byte count between 16 and 1024");
  }
  return randomBytes(bytes).toString("base64url");
}

/**
 * Invitation codes: 28 Crockford symbols (140 bits) shown as 7 groups of 4,
 * e.g. `7KQ2-M9XD-AB12-...`. Users may type them in any case, with or without
 * dashes or spaces, and with O/I/L for 0/1/1; normalizeInvitationCode maps all of
 * that to the canonical 28-symbol string, which is what gets hashed.
 */
export const INVITATION_CODE_SYMBOLS = 28;
const INVITATION_GROUP = 4;

export function generateInvitationCode(): string {
  const symbols = randomSymbols(INVITATION_CODE_SYMBOLS, CROCKFORD);
  return symbols.match(new RegExp(`.{${INVITATION_GROUP}}`, "g"))?.join("-") ?? symbols;
}

/** The canonical (hash input) form of a typed code, or null when it cannot be one. */
export function normalizeInvitationCode(input: string): string | null {
  if (input.length > 64) return null;
  const canonical = input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (canonical.length !== INVITATION_CODE_SYMBOLS) return null;
  for (const symbol of canonical) if (!CROCKFORD.includes(symbol)) return null;
  return canonical;
}

/** Opaque refresh token: 256 bits, base64url (43 characters). */
export function generateRefreshToken(): string {
  return randomToken(32);
}

const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function isRefreshTokenFormat(input: string): boolean {
  return REFRESH_TOKEN.test(input);
}

/**
 * Admin API keys look like `ck_<id>_<secret>`:
 * - `ck_<id>` is the prefix, stored in clear and used to find the key row
 *   (id: 16 lowercase Crockford symbols, 80 bits, so prefixes do not collide);
 * - `<secret>` is 52 lowercase Crockford symbols (260 bits), shown once.
 * Neither part contains `_`, so parsing is unambiguous, and the fixed `ck_` start
 * lets secret scanners and the log redactor recognise leaked keys.
 */
export const API_KEY_PREFIX_TAG = "ck_";
const API_KEY_ID_SYMBOLS = 16;
const API_KEY_SECRET_SYMBOLS = 52;
const API_KEY_ALPHABET = CROCKFORD.toLowerCase();
const API_KEY = new RegExp(
  `^(${API_KEY_PREFIX_TAG}[${API_KEY_ALPHABET}]{${API_KEY_ID_SYMBOLS}})_([${API_KEY_ALPHABET}]{${API_KEY_SECRET_SYMBOLS}})$`,
);

export interface ApiKeyParts {
  /** `ck_<id>`: public, stored in clear, used for lookup. */
  prefix: string;
  /** The secret part; only its peppered hash is stored. */
  secret: string;
  /** The full key handed to the admin once: `<prefix>_<secret>`. */
  key: string;
}

export function generateApiKey(): ApiKeyParts {
  const prefix = API_KEY_PREFIX_TAG + randomSymbols(API_KEY_ID_SYMBOLS, API_KEY_ALPHABET);
  const secret = randomSymbols(API_KEY_SECRET_SYMBOLS, API_KEY_ALPHABET);
  return { prefix, secret, key: `${prefix}_${secret}` };
}

/** Splits a presented key; null when it is not shaped like one of ours. */
export function parseApiKey(key: string): ApiKeyParts | null {
  const match = API_KEY.exec(key);
  if (match?.[1] === undefined || match[2] === undefined) return null;
  return { prefix: match[1], secret: match[2], key };
}
