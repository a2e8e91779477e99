import { describe, expect, it } from "vitest";
import { hasPrototypeKey } from "../src/schemas/has-prototype-key";

describe("hasPrototypeKey", () => {
  it("finds an own __proto__ key at any depth, as JSON.parse writes it", () => {
    expect(hasPrototypeKey(JSON.parse('{"__proto__":{"isAdmin":true}}'))).toBe(true);
    expect(hasPrototypeKey(JSON.parse('{"a":[1,{"b":{"__proto__":1}}]}'))).toBe(true);
    expect(Object.prototype).not.toHaveProperty("isAdmin");
  });

  it("passes ordinary inputs, including keys that merely look alike", () => {
    for (const input of [
      undefined,
      null,
      "__proto__",
      { proto: 1, constructor_: 2 },
      { a: [{ b: "__proto__" }] },
      Object.create(null) as object,
    ])
      expect(hasPrototypeKey(input)).toBe(false);
  });

  it("walks nesting far deeper than the call stack", () => {
    const deep = `${'{"a":'.repeat(100_000)}{"__proto__":1}${"}".repeat(100_000)}`;
    expect(hasPrototypeKey(JSON.parse(deep))).toBe(true);
  });
});
