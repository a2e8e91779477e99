/**
 * Deep redaction for anything that may reach a log line or audit details.
 *
 * Key rule (isSensitiveKey), applied to every property name at every depth:
 *
 * 1. The name is split into lowercase words at camelCase humps, digit runs and any
 *    non-alphanumeric character: `x-api-key` -> [x, api, key],
 *    `INVITE_CODE_PEPPER` -> [invite, code, pepper], `groupPublicKey` -> [group, public, key].
 * 2. If ANY word is an always-secret word (password, passphrase, secret, pepper,
 *    mnemonic, authorization, cookie, credential, keyring, ...; also the unsplittable
 *    lowercase compounds apikey, privatekey, accesstoken, ...), the key is sensitive.
 *    `passwordHash`, `secretFile` and `cookieName` are therefore redacted too: erring
 *    on the side of hiding.
 * 3. Otherwise trailing encoding words (hex, pem, der, b64, base64, bytes, raw, jwk,
 *    string, value, ...) are dropped while more than one word remains, so
 *    `privateKeyPem` is judged as `privateKey` and `publicKeyHex` as `publicKey`.
 * 4. The last remaining word is the head noun: what the field IS. If the head is a
 *    secret noun (key, token, code, share, nonce, seed, otp, totp, jwt, private, pin,
 *    ...) the key is sensitive, unless the word just before it marks it public:
 *    `publicKey`, `groupPublicKey`, `verifyingKey`, `verifyingShare`, `statusCode`,
 *    `errorCode`. So `key`, `apiKey`, `privateKey`, `identityKey`, `keyShare`,
 *    `signatureShare`, `invitationCode`, `accessToken` are redacted, while `keyId`,
 *    `kid`, `apiKeyPrefix`, `nonceCommitment` and `shareIndex` (head: id, prefix,
 *    commitment, index) are not.
 *
 * One exception keeps error codes readable: the own property `code` of an Error is
 * kept when it is an upper-case identifier such as `ECONNREFUSED` or `TOKEN_EXPIRED`.
 *
 * Value rule (redactString), applied to every string whatever its key: JWT/JWS/JWE
 * compact tokens, `Bearer`/`Basic` credentials, Conclave API keys (`ck_<id>_<secret>`)
 * and passwords in URL userinfo are replaced in place.
 *
 * The output is a JSON-safe copy: Map -> object, Set -> array, bigint -> decimal
 * string, Date -> ISO string, binary -> a size placeholder (raw bytes are usually key
 * material), cycles -> "[Circular]". The input is never mutated.
 */

export const REDACTED = "[REDACTED]";

const ALWAYS_SECRET_WORDS: ReadonlySet<string> = new Set([
  "password",
  "passwd",
  "pass",
  "pwd",
  "passphrase",
  "passcode",
  "secret",
  "secrets",
  "pepper",
  "mnemonic",
  "authorization",
  "cookie",
  "cookies",
  "credential",
  "credentials",
  "keyring",
  "bearer",
  "apikey",
  "privatekey",
  "secretkey",
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "sessiontoken",
]);

const SECRET_HEAD_WORDS: ReadonlySet<string> = new Set([
  "key",
  "keys",
  "token",
  "tokens",
  "code",
  "codes",
  "share",
  "shares",
  "nonce",
  "nonces",
  "seed",
  "seeds",
  "otp",
  "totp",
  "hotp",
  "jwt",
  "jwk",
  "private",
  "pin",
  "auth",
]);

const KEY_PUBLIC_QUALIFIERS = [
  "public",
  "pub",
  "verifying",
  "verification",
  "primary",
  "foreign",
  "cache",
  "idempotency",
];
const CODE_PUBLIC_QUALIFIERS = [
  "status",
  "error",
  "err",
  "exit",
  "close",
  "http",
  "reason",
  "response",
  "result",
  "country",
  "currency",
  "language",
  "locale",
];
const SHARE_PUBLIC_QUALIFIERS = ["public", "verifying", "verification"];

const PUBLIC_QUALIFIERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["key", new Set(KEY_PUBLIC_QUALIFIERS)],
  ["keys", new Set(KEY_PUBLIC_QUALIFIERS)],
  ["jwk", new Set(KEY_PUBLIC_QUALIFIERS)],
  ["code", new Set(CODE_PUBLIC_QUALIFIERS)],
  ["codes", new Set(CODE_PUBLIC_QUALIFIERS)],
  ["share", new Set(SHARE_PUBLIC_QUALIFIERS)],
  ["shares", new Set(SHARE_PUBLIC_QUALIFIERS)],
]);

const ENCODING_SUFFIX_WORDS: ReadonlySet<string> = new Set([
  "hex",
  "pem",
  "der",
  "b64",
  "b64url",
  "base64",
  "base64url",
  "base32",
  "bytes",
  "buf",
  "buffer",
  "raw",
  "bin",
  "jwk",
  "str",
  "string",
  "value",
  "values",
  "encoded",
  "text",
  "plain",
  "plaintext",
]);

function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** True when a property with this name must never be logged. See the rule above. */
export function isSensitiveKey(key: string): boolean {
  const words = splitWords(key);
  if (words.some((word) => ALWAYS_SECRET_WORDS.has(word))) return true;
  while (words.length > 1 && ENCODING_SUFFIX_WORDS.has(words[words.length - 1] ?? "")) words.pop();
  const head = words[words.length - 1];
  if (head === undefined || !SECRET_HEAD_WORDS.has(head)) return false;
  const qualifier = words[words.length - 2];
  if (qualifier === undefined) return true;
  return !(PUBLIC_QUALIFIERS.get(head)?.has(qualifier) ?? false);
}

const VALUE_PATTERNS: readonly (readonly [RegExp, string])[] = [
  // JWS (3 segments, the last may be empty for alg "none") and JWE (5 segments).
  [/eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){2,4}/g, REDACTED],
  // Any three long base64url segments joined by dots, whatever the header.
  [/[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(Bearer|Basic|Token)(\s+)[A-Za-z0-9._~+/=-]+/gi, `$1$2${REDACTED}`],
  [/\bck_([a-z0-9]+)_[A-Za-z0-9_-]+/g, `ck_$1_${REDACTED}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, `$1${REDACTED}@`],
];

/** Replaces token-like substrings (JWTs, bearer credentials, API keys, URL passwords). */
export function redactString(value: string): string {
  let result = value;
  for (const [pattern, replacement] of VALUE_PATTERNS)
    result = result.replace(pattern, replacement);
  return result;
}

const MAX_DEPTH = 32;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

function redactError(error: Error, seen: WeakSet<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: error.constructor.name,
    message: redactString(error.message),
  };
  if (typeof error.stack === "string") out["stack"] = redactString(error.stack);
  for (const [key, value] of Object.entries(error)) {
    if (key === "code" && typeof value === "string" && ERROR_CODE.test(value)) out[key] = value;
    else out[key] = isSensitiveKey(key) ? REDACTED : walk(value, seen, depth + 1);
  }
  if (error.cause !== undefined) out["cause"] = walk(error.cause, seen, depth + 1);
  if (error instanceof AggregateError) out["errors"] = walk(error.errors, seen, depth + 1);
  return out;
}

function redactEntries(
  entries: Iterable<[unknown, unknown]>,
  seen: WeakSet<object>,
  depth: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of entries) {
    const key = typeof rawKey === "string" ? rawKey : String(walk(rawKey, seen, depth + 1));
    out[key] = isSensitiveKey(key) ? REDACTED : walk(value, seen, depth + 1);
  }
  return out;
}

function walk(value: unknown, seen: WeakSet<object>, depth: number): unknown {
  switch (typeof value) {
    case "string":
      return redactString(value);
    case "bigint":
      return value.toString();
    case "symbol":
      return value.toString();
    case "function":
      return undefined;
    case "object":
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (seen.has(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[MaxDepth]";
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} ${value.byteLength} bytes]`;
  if (value instanceof ArrayBuffer) return `[ArrayBuffer ${value.byteLength} bytes]`;
  seen.add(value);
  try {
    return walkObject(value, seen, depth);
  } catch {
    // A throwing getter or toJSON must not take the log line (or the caller) down.
    return "[Unserializable]";
  } finally {
    // Only ancestors count as cycles; the same object reached twice through siblings is fine.
    seen.delete(value);
  }
}

function walkObject(value: object, seen: WeakSet<object>, depth: number): unknown {
  if (value instanceof Error) return redactError(value, seen, depth);
  if (Array.isArray(value)) return value.map((item: unknown) => walk(item, seen, depth + 1));
  if (value instanceof Set)
    return Array.from(value, (item: unknown) => walk(item, seen, depth + 1));
  if (value instanceof Map)
    return redactEntries(value.entries() as Iterable<[unknown, unknown]>, seen, depth);
  const toJSON: unknown = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return walk(toJSON.call(value), seen, depth + 1);
  return redactEntries(Object.entries(value), seen, depth);
}

/** A redacted, JSON-safe deep copy of `value`. Never mutates its input. */
export function redactDeep(value: unknown): unknown {
  return walk(value, new WeakSet(), 0);
}
