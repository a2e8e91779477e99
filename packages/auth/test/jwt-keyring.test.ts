import { describe, expect, it } from "vitest";
import {
  activeKey,
  createKeyring,
  KeyringError,
  parseKeyring,
  publicJwks,
  rotateKeyring,
  serializeKeyring,
} from "../src/jwt-keyring";

const T0 = new Date("2030-01-01T00:00:00.000Z");
const later = new Date("2030-01-01T01:00:00.000Z");

describe("jwt keyring", () => {
  it("round-trips through JSON", async () => {
    const keyring = await rotateKeyring(await createKeyring(T0), later);
    const parsed = await parseKeyring(serializeKeyring(keyring));
    expect(parsed).toEqual(keyring);
    expect(activeKey(parsed).createdAt).toEqual(later);
  });

  it("rotation leaves exactly one active key and keeps the old one", async () => {
    const keyring = await createKeyring(T0);
    const rotated = await rotateKeyring(keyring, later);
    expect(rotated.keys).toHaveLength(2);
    expect(rotated.keys.filter((key) => key.retiredAt === undefined)).toHaveLength(1);
    expect(rotated.keys[0]?.retiredAt).toEqual(later);
    expect(activeKey(rotated).kid).not.toBe(activeKey(keyring).kid);
    expect(keyring.keys[0]?.retiredAt).toBeUndefined();
  });

  it("publishes only public parts with kid, alg and use", async () => {
    const keyring = await rotateKeyring(await createKeyring(T0), later);
    const jwks = publicJwks(keyring, later);
    expect(jwks.keys).toHaveLength(2);
    for (const jwk of jwks.keys) {
      expect(Object.keys(jwk).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x"]);
      expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    }
    expect(JSON.stringify(jwks)).not.toContain(activeKey(keyring).privateJwk.d);
    expect(publicJwks(keyring, new Date(later.getTime() + 24 * 3600_000)).keys).toHaveLength(1);
  });

  it("refuses malformed keyrings without echoing key material", async () => {
    const keyring = await createKeyring(T0);
    const json = serializeKeyring(keyring);
    const raw = JSON.parse(json) as { keys: Record<string, unknown>[] };
    const first = raw.keys[0] ?? {};
    const cases = [
      "not json",
      JSON.stringify({ keys: [] }),
      JSON.stringify({ keys: [{ ...first, kid: "A".repeat(43) }] }),
      JSON.stringify({ keys: [first, first] }),
      JSON.stringify({ keys: [{ ...first, retiredAt: T0.toISOString() }] }),
      JSON.stringify({ keys: [{ ...first, extra: 1 }] }),
      JSON.stringify({
        keys: [{ ...first, publicJwk: { kty: "OKP", crv: "Ed25519", x: "B".repeat(43) } }],
      }),
    ];
    for (const bad of cases) {
      const error: unknown = await parseKeyring(bad).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(KeyringError);
      expect((error as Error).message).not.toContain(activeKey(keyring).privateJwk.d);
    }
  });
});
