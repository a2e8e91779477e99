import { describe, expect, it } from "vitest";
import { describeSecretWeakness } from "../src/secret-strength";

describe("describeSecretWeakness", () => {
  it("accepts a random-looking 32+ character secret", () => {
    expect(describeSecretWeakness("q7Vd0Lr2XmZ9pKc4Tb8wYh1Ns6Jf3Ge5Ua")).toBeUndefined();
  });

  it.each([
    ["development marker", "conclave-dev-q7Vd0Lr2XmZ9pKc4Tb8wYh1Ns6Jf3Ge5Ua", "development"],
    ["marker inside the value", "prefix-conclave-dev-q7Vd0Lr2XmZ9pKc4Tb8wYh1N", "development"],
    ["short", "q7Vd0Lr2XmZ9pKc4", "fewer than 32 characters"],
    ["few distinct characters", "abcabcabcabcabcabcabcabcabcabcabcabcxy", "distinct"],
    ["one repeated pattern", "0123456789ab0123456789ab0123456789ab", "repeats"],
  ])("refuses a %s secret", (_label, value, reason) => {
    const weakness = describeSecretWeakness(value);
    expect(weakness).toContain(reason);
    expect(weakness).not.toContain(value);
  });
});
