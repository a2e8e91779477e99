import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * RFC 6238 TOTP as authenticator apps implement it: HMAC-SHA1, 30 s steps,
 * 6 digits, T0 = 0. Verification accepts the previous, current and next step
 * (window 1) to absorb clock drift and typing time, and reports the matched step so
 * the caller can store it and refuse the same or an earlier step next time (replay).
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_WINDOW = 1;

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let buffer = 0;
  let out = "";
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32.charAt((buffer >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32.charAt((buffer << (5 - bits)) & 31);
  return out;
}

/** RFC 4648 base32, case-insensitive, spaces and padding ignored; null when invalid. */
function base32Decode(input: string): Uint8Array | null {
  const clean = input.toUpperCase().replace(/[\s=]/g, "");
  if (clean.length === 0) return null;
  const out: number[] = [];
  let bits = 0;
  let buffer = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) return null;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/** A new shared secret: 160 random bits (the RFC 4226 recommendation), base32. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** RFC 4226 HOTP with dynamic truncation. */
function hotp(key: Uint8Array, counter: number, digits: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return (binary % 10 ** digits).toString().padStart(digits, "0");
}

export class TotpSecretError extends Error {
  override readonly name = "TotpSecretError";
  readonly code = "TOTP_SECRET_INVALID";
}

function secretBytes(secretBase32: string): Uint8Array {
  const key = base32Decode(secretBase32);
  if (key === null || key.length < 10)
    throw new TotpSecretError("TOTP secret is not valid base32 of at least 80 bits");
  return key;
}

export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export interface TotpCodeOptions {
  /** Defaults to 6; 8 exists for the RFC 6238 test vectors. */
  digits?: 6 | 8;
}

/** The code for the step containing `now`. */
export function generateTotp(
  secretBase32: string,
  now: Date,
  options: TotpCodeOptions = {},
): string {
  return hotp(secretBytes(secretBase32), totpStep(now), options.digits ?? TOTP_DIGITS);
}

export interface VerifyTotpOptions {
  now: Date;
  /** The last step accepted for this secret; that step and earlier ones are refused. */
  lastUsedStep?: number;
  /** Steps accepted on each side of the current one; defaults to 1. */
  window?: number;
}

export type TotpVerification = { ok: true; step: number } | { ok: false };

/** Checks a user-entered code. Never throws on malformed input. */
export function verifyTotp(
  secretBase32: string,
  code: string,
  options: VerifyTotpOptions,
): TotpVerification {
  const window = options.window ?? TOTP_WINDOW;
  const candidate = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(candidate) || !Number.isInteger(window) || window < 0 || window > 10)
    return { ok: false };
  const key = base32Decode(secretBase32);
  if (key === null || key.length < 10) return { ok: false };
  const current = totpStep(options.now);
  let matched: number | undefined;
  // Every step in the window is computed and compared, match or not, so timing does
  // not reveal which step matched.
  for (let step = current - window; step <= current + window; step++) {
    const expected = hotp(key, step, TOTP_DIGITS);
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(candidate)) && matched === undefined)
      matched = step;
  }
  if (matched === undefined) return { ok: false };
  if (options.lastUsedStep !== undefined && matched <= options.lastUsedStep) return { ok: false };
  return { ok: true, step: matched };
}

export interface TotpUriInput {
  /** Shown by the authenticator app, e.g. "Conclave". Must not contain ':'. */
  issuer: string;
  /** The account, e.g. the admin's email. Must not contain ':'. */
  accountName: string;
  secret: string;
}

/** `otpauth://totp/Issuer:account?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30` */
export function totpUri(input: TotpUriInput): string {
  if (input.issuer.includes(":") || input.accountName.includes(":")) {
    throw new RangeError("issuer and account name must not contain ':'");
  }
  secretBytes(input.secret);
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.accountName)}`;
  const query = new URLSearchParams({
    secret: input.secret.toUpperCase().replace(/[\s=]/g, ""),
    issuer: input.issuer,
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, "%20")}`;
}
