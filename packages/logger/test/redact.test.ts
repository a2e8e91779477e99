import { describe, expect, it } from "vitest";
import { isSensitiveKey, REDACTED, redactDeep, redactString } from "../src/redact";

describe("isSensitiveKey", () => {
  const sensitive = [
    "password",
    "newPassword",
    "passphrase",
    "secret",
    "clientSecret",
    "token",
    "accessToken",
    "refresh_token",
    "authorization",
    "Authorization",
    "cookie",
    "set-cookie",
    "code",
    "invitationCode",
    "invitation_code",
    "totpCode",
    "apiKey",
    "x-api-key",
    "apikey",
    "key",
    "privateKey",
    "private_key",
    "privateKeyPem",
    "privateJwk",
    "signingKey",
    "share",
    "keyShare",
    "signatureShare",
    "signature_shares",
    "nonce",
    "hidingNonce",
    "totp",
    "otp",
    "pepper",
    "INVITE_CODE_PEPPER",
    "seed",
    "mnemonic",
    "JWT_KEYRING",
    "passwordHash",
    "csrfToken",
    "auth",
    "basicAuth",
    "pass",
  ];
  const notSensitive = [
    "keyId",
    "kid",
    "publicKey",
    "groupPublicKey",
    "public_key",
    "publicKeyHex",
    "verifyingShare",
    "verifyingKey",
    "apiKeyPrefix",
    "apiKeyId",
    "statusCode",
    "errorCode",
    "vaultId",
    "nonceCommitment",
    "shareIndex",
    "monkey",
    "signature",
    "name",
    "tokenCount",
    "authMethod",
    "passed",
    "refreshTokenHash",
  ];
  it.each(sensitive)("redacts %s", (key) => {
    expect(isSensitiveKey(key)).toBe(true);
  });
  it.each(notSensitive)("keeps %s", (key) => {
    expect(isSensitiveKey(key)).toBe(false);
  });
});

describe("redactString", () => {
  const jwt =
    "eyJhbGciOiJFZERTQSIsImtpZCI6IngiLCJ0eXAiOiJhdCtqd3QifQ.eyJhIjoxLCJpYXQiOjE3OTU4MzA1ODJ9.-gQbw_pPfr9tnbJif3nUr9dUnq4CchI2YxFPBUpffxUG";
  it("redacts a JWT anywhere in a string", () => {
    expect(redactString(`got ${jwt} from client`)).toBe(`got ${REDACTED} from client`);
  });
  it("redacts an unsigned (alg none) token", () => {
    expect(redactString("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")).toBe(REDACTED);
  });
  it("redacts bearer credentials, API keys and URL passwords", () => {
    expect(redactString("Bearer abc.def-ghi")).toBe(`Bearer ${REDACTED}`);
    expect(redactString("key ck_0a1b2c3d_supersecretvalue")).toBe(`key ck_0a1b2c3d_${REDACTED}`);
    expect(redactString("postgres://app:hunter2@db:5432/x")).toBe(
      `postgres://app:${REDACTED}@db:5432/x`,
    );
  });
  it("leaves ordinary text, hostnames and hex alone", () => {
    for (const text of ["api.example.com", "vault created", "02" + "ab".repeat(32)]) {
      expect(redactString(text)).toBe(text);
    }
  });
});

describe("redactDeep", () => {
  it("redacts at any depth, through arrays, Maps and Sets, without mutating", () => {
    const input = {
      a: { b: { c: { d: { password: "p5", publicKey: "pk" } } } },
      list: [{ token: "t1" }, [{ keyShare: "s1" }]],
      map: new Map<unknown, unknown>([
        ["apiKey", "k1"],
        ["keyId", "kid-1"],
      ]),
      set: new Set([{ secret: "s2" }]),
    };
    const snapshot = structuredClone(input);
    const out = redactDeep(input);
    expect(out).toEqual({
      a: { b: { c: { d: { password: REDACTED, publicKey: "pk" } } } },
      list: [{ token: REDACTED }, [{ keyShare: REDACTED }]],
      map: { apiKey: REDACTED, keyId: "kid-1" },
      set: [{ secret: REDACTED }],
    });
    expect(input).toEqual(snapshot);
  });

  it("replaces cycles, keeps shared siblings, converts bigint, Date and bytes", () => {
    const shared = { vaultId: "v1" };
    const node: Record<string, unknown> = { shared, again: shared, amount: 10n ** 20n };
    node["self"] = node;
    node["at"] = new Date("2030-01-02T03:04:05.000Z");
    node["raw"] = new Uint8Array(32);
    expect(redactDeep(node)).toEqual({
      shared: { vaultId: "v1" },
      again: { vaultId: "v1" },
      amount: "100000000000000000000",
      self: "[Circular]",
      at: "2030-01-02T03:04:05.000Z",
      raw: "[Uint8Array 32 bytes]",
    });
  });

  it("turns Errors into objects with redacted properties and cause, keeping error codes", () => {
    const cause = Object.assign(new Error("inner"), { refreshToken: "rt-1" });
    const error = Object.assign(new Error("outer", { cause }), {
      code: "TOKEN_EXPIRED",
      details: { privateKey: "sk-1", kid: "k1" },
    });
    const out = redactDeep(error) as Record<string, unknown>;
    expect(out).toMatchObject({
      type: "Error",
      message: "outer",
      code: "TOKEN_EXPIRED",
      details: { privateKey: REDACTED, kid: "k1" },
      cause: { message: "inner", refreshToken: REDACTED },
    });
    expect(JSON.stringify(out)).not.toMatch(/rt-1|sk-1/);
  });

  it("does not keep a non-identifier value under an Error's code", () => {
    const error = Object.assign(new Error("bad"), { code: "7KQ2-M9XD-AB12" });
    expect(redactDeep(error)).toMatchObject({ code: REDACTED });
  });

  it("survives throwing getters", () => {
    const hostile = {
      get boom(): string {
        throw new Error("no");
      },
    };
    expect(redactDeep({ hostile })).toEqual({ hostile: "[Unserializable]" });
  });
});
