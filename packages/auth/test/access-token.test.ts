import { createHmac } from "node:crypto";
import { base64url, importJWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { signAccessToken, TokenError, verifyAccessToken } from "../src/access-token";
import type { AccessTokenInput, TokenErrorCode } from "../src/access-token";
import { createKeyring, generateKeyringKey, pruneKeyring, rotateKeyring } from "../src/jwt-keyring";
import type { Keyring, KeyringKey } from "../src/jwt-keyring";
import { generateRefreshToken, isRefreshTokenFormat } from "../src/random-secret";

const ISS = "https://localhost:8443";
const AUD = "conclave-guardian";
const T0 = new Date("2030-01-01T00:00:00.000Z");
const input: AccessTokenInput = {
  iss: ISS,
  aud: AUD,
  sub: "guardian_1",
  sid: "session_1",
  role: "GUARDIAN",
};
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const secondsOf = (date: Date) => Math.floor(date.getTime() / 1000);

let keyring: Keyring;
let key: KeyringKey;

beforeAll(async () => {
  keyring = await createKeyring(T0);
  const [only] = keyring.keys;
  if (only === undefined) throw new Error("empty keyring");
  key = only;
});

async function expectRefused(
  token: string,
  code: TokenErrorCode,
  options = { iss: ISS, aud: AUD, now: T0 },
  ring = keyring,
) {
  const error: unknown = await verifyAccessToken(ring, token, options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TokenError);
  expect((error as TokenError).code).toBe(code);
  if (token.length >= 8) expect((error as TokenError).message).not.toContain(token.slice(0, 8));
}

/** Signs arbitrary header/claims with the keyring's real private key, as an attacker with a bug might. */
async function forge(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  signer: KeyringKey = key,
) {
  const privateKey = await importJWK({ ...signer.privateJwk, alg: "EdDSA" }, "EdDSA");
  return new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", ...header }).sign(privateKey);
}

function validClaims(overrides: Record<string, unknown> = {}) {
  const iat = secondsOf(T0);
  return { ...input, jti: "AAAAAAAAAAAAAAAAAAAAAA", iat, exp: iat + 900, ...overrides };
}

describe("access tokens", () => {
  it("round-trips claims and header", async () => {
    const { token, claims } = await signAccessToken(keyring, input, T0);
    const verified = await verifyAccessToken(keyring, token, { iss: ISS, aud: AUD, now: at(60) });
    expect(verified).toEqual(claims);
    expect(verified).toMatchObject({ ...input, iat: secondsOf(T0), exp: secondsOf(T0) + 900 });
    expect(verified.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const header = JSON.parse(
      Buffer.from(token.split(".")[0] ?? "", "base64url").toString(),
    ) as unknown;
    expect(header).toEqual({ alg: "EdDSA", kid: key.kid, typ: "at+jwt" });
  });

  it("gives every token its own jti", async () => {
    const a = await signAccessToken(keyring, input, T0);
    const b = await signAccessToken(keyring, input, T0);
    expect(a.claims.jti).not.toBe(b.claims.jti);
  });

  it("refuses bad input when signing", async () => {
    await expect(
      signAccessToken(keyring, { ...input, role: "ROOT" as "ADMIN" }, T0),
    ).rejects.toThrow();
    await expect(
      signAccessToken(keyring, { ...input, extra: 1 } as AccessTokenInput, T0),
    ).rejects.toThrow();
  });

  it("accepts a token within the clock tolerance and refuses it after", async () => {
    const { token } = await signAccessToken(keyring, input, T0);
    await expect(
      verifyAccessToken(keyring, token, { iss: ISS, aud: AUD, now: at(900 + 29) }),
    ).resolves.toBeDefined();
    await expectRefused(token, "TOKEN_EXPIRED", { iss: ISS, aud: AUD, now: at(900 + 31) });
  });

  it("refuses alg none", async () => {
    const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
    const token = `${encode({ alg: "none", kid: key.kid, typ: "at+jwt" })}.${encode(validClaims())}.`;
    await expectRefused(token, "TOKEN_ALGORITHM_NOT_ALLOWED");
  });

  it("refuses HS256 signed with the public key as the secret", async () => {
    const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
    for (const secret of [
      key.publicJwk.x,
      Buffer.from(key.publicJwk.x, "base64url"),
      JSON.stringify(key.publicJwk),
    ]) {
      const signingInput = `${encode({ alg: "HS256", kid: key.kid, typ: "at+jwt" })}.${encode(validClaims())}`;
      const mac = createHmac("sha256", secret).update(signingInput).digest("base64url");
      await expectRefused(`${signingInput}.${mac}`, "TOKEN_ALGORITHM_NOT_ALLOWED");
    }
  });

  it("refuses an unknown kid and a missing kid", async () => {
    await expectRefused(
      await forge({ kid: "x".repeat(43), typ: "at+jwt" }, validClaims()),
      "TOKEN_UNKNOWN_KEY",
    );
    await expectRefused(await forge({ typ: "at+jwt" }, validClaims()), "TOKEN_UNKNOWN_KEY");
  });

  it("refuses the right kid with the wrong key", async () => {
    const other = await generateKeyringKey(T0);
    await expectRefused(
      await forge({ kid: key.kid, typ: "at+jwt" }, validClaims(), other),
      "TOKEN_BAD_SIGNATURE",
    );
  });

  it("refuses a wrong audience and a wrong issuer", async () => {
    const { token } = await signAccessToken(keyring, input, T0);
    await expectRefused(token, "TOKEN_WRONG_AUDIENCE", {
      iss: ISS,
      aud: "conclave-console",
      now: T0,
    });
    await expectRefused(token, "TOKEN_WRONG_ISSUER", {
      iss: "https://evil.example",
      aud: AUD,
      now: T0,
    });
  });

  it("refuses tokens that are not valid yet", async () => {
    const { token } = await signAccessToken(keyring, input, at(120));
    await expectRefused(token, "TOKEN_NOT_YET_VALID");
    const withNbf = await forge(
      { kid: key.kid, typ: "at+jwt" },
      validClaims({ nbf: secondsOf(T0) + 120 }),
    );
    await expectRefused(withNbf, "TOKEN_NOT_YET_VALID");
    const { token: slightlyAhead } = await signAccessToken(keyring, input, at(20));
    await expect(
      verifyAccessToken(keyring, slightlyAhead, { iss: ISS, aud: AUD, now: T0 }),
    ).resolves.toBeDefined();
  });

  it("refuses a tampered payload", async () => {
    const { token } = await signAccessToken(keyring, input, T0);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<
      string,
      unknown
    >;
    const tampered = base64url.encode(JSON.stringify({ ...claims, role: "ADMIN" }));
    await expectRefused(`${header ?? ""}.${tampered}.${signature ?? ""}`, "TOKEN_BAD_SIGNATURE");
  });

  it("refuses a token of another typ, or without typ, signed by the same keyring", async () => {
    await expectRefused(
      await forge({ kid: key.kid, typ: "refresh+jwt" }, validClaims()),
      "TOKEN_WRONG_TYPE",
    );
    await expectRefused(
      await forge({ kid: key.kid, typ: "JWT" }, validClaims()),
      "TOKEN_WRONG_TYPE",
    );
    await expectRefused(await forge({ kid: key.kid }, validClaims()), "TOKEN_WRONG_TYPE");
  });

  it("refuses missing, extra or mistyped claims and an overlong lifetime", async () => {
    const { sid: _sid, ...withoutSid } = validClaims();
    await expectRefused(
      await forge({ kid: key.kid, typ: "at+jwt" }, withoutSid),
      "TOKEN_INVALID_CLAIMS",
    );
    await expectRefused(
      await forge({ kid: key.kid, typ: "at+jwt" }, validClaims({ role: "ROOT" })),
      "TOKEN_INVALID_CLAIMS",
    );
    await expectRefused(
      await forge({ kid: key.kid, typ: "at+jwt" }, validClaims({ admin: true })),
      "TOKEN_INVALID_CLAIMS",
    );
    await expectRefused(
      await forge({ kid: key.kid, typ: "at+jwt" }, validClaims({ exp: secondsOf(T0) + 86_400 })),
      "TOKEN_INVALID_CLAIMS",
    );
  });

  it("keeps access and refresh tokens apart", async () => {
    await expectRefused(generateRefreshToken(), "TOKEN_MALFORMED");
    const { token } = await signAccessToken(keyring, input, T0);
    expect(isRefreshTokenFormat(token)).toBe(false);
  });

  it("refuses garbage", async () => {
    for (const token of ["", "abc", "a.b.c", "a.b.c.d", "x".repeat(5000)])
      await expectRefused(token, "TOKEN_MALFORMED");
  });
});

describe("rotation", () => {
  it("keeps old tokens valid after rotation and refuses them once the old key is pruned", async () => {
    const { token } = await signAccessToken(keyring, input, T0);
    const rotated = await rotateKeyring(keyring, at(60));
    const { token: fresh, claims } = await signAccessToken(rotated, input, at(61));
    expect(
      JSON.parse(Buffer.from(fresh.split(".")[0] ?? "", "base64url").toString()),
    ).not.toMatchObject({ kid: key.kid });
    await expect(
      verifyAccessToken(rotated, token, { iss: ISS, aud: AUD, now: at(120) }),
    ).resolves.toMatchObject({ sub: "guardian_1" });
    await expect(
      verifyAccessToken(rotated, fresh, { iss: ISS, aud: AUD, now: at(120) }),
    ).resolves.toEqual(claims);

    expect(pruneKeyring(rotated, at(60 + 900)).keys).toHaveLength(2);
    const pruned = pruneKeyring(rotated, at(60 + 900 + 31));
    expect(pruned.keys).toHaveLength(1);
    await expectRefused(token, "TOKEN_UNKNOWN_KEY", { iss: ISS, aud: AUD, now: at(120) }, pruned);
  });

  it("refuses a token from a retired key that claims to be issued after retirement", async () => {
    const rotated = await rotateKeyring(keyring, T0);
    const late = await forge(
      { kid: key.kid, typ: "at+jwt" },
      validClaims({ iat: secondsOf(T0) + 300, exp: secondsOf(T0) + 1200 }),
    );
    await expectRefused(late, "TOKEN_UNKNOWN_KEY", { iss: ISS, aud: AUD, now: at(300) }, rotated);
  });
});
