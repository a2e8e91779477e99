import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { redactDeep } from "../src/redact";

const SECRET = "S3CR3T-VALUE-9f2c";
const sensitiveKeys = fc.constantFrom(
  "password",
  "apiKey",
  "keyShare",
  "refresh_token",
  "invitationCode",
  "nonce",
  "key",
);
const plainKeys = fc.constantFrom(
  "vaultId",
  "publicKey",
  "keyId",
  "name",
  "items",
  "data",
  "nested",
);

/** Wraps `inner` in `depth` random layers of objects, arrays and Maps. */
const wrapped = (inner: unknown) =>
  fc
    .array(fc.tuple(fc.constantFrom("object", "array", "map"), plainKeys), { maxLength: 8 })
    .map((layers) =>
      layers.reduce<unknown>((value, [kind, key]) => {
        if (kind === "array") return [1, value, "x"];
        if (kind === "map") return new Map([[key, value]]);
        return { [key]: value, other: "visible" };
      }, inner),
    );

describe("redactDeep (property)", () => {
  it("never lets a value under a sensitive key through, at any depth", () => {
    fc.assert(
      fc.property(
        sensitiveKeys.chain((key) => wrapped({ [key]: SECRET, publicKey: "pk" })),
        (value) => {
          const out = JSON.stringify(redactDeep(value));
          expect(out).not.toContain(SECRET);
          expect(out).toContain("pk");
        },
      ),
    );
  });
});
