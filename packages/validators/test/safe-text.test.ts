import { describe, expect, it } from "vitest";
import { memoSchema, nameSchema, safeTextSchema } from "../src/safe-text";

const rejects = (value: string) => {
  expect(nameSchema.safeParse(value).success).toBe(false);
};

describe("safe text", () => {
  it("accepts ordinary multilingual text and emoji", () => {
    expect(nameSchema.parse("Trésorerie Zürich — 東京 🔐")).toBe("Trésorerie Zürich — 東京 🔐");
  });
  it("normalises to NFC", () => {
    const decomposed = "Cafe\u0301";
    expect(decomposed).not.toBe("Café");
    expect(nameSchema.parse(decomposed)).toBe("Café");
  });
  it("counts the limit in code points after NFC", () => {
    const schema = safeTextSchema({ maxLength: 4 });
    expect(schema.parse("Cafe\u0301")).toBe("Café");
    expect(schema.safeParse("Cafés").success).toBe(false);
    expect(schema.safeParse("🔐🔐🔐🔐").success).toBe(true);
  });
  it.each([
    ["U+202A LRE", "\u202a"],
    ["U+202B RLE", "\u202b"],
    ["U+202C PDF", "\u202c"],
    ["U+202D LRO", "\u202d"],
    ["U+202E RLO", "\u202e"],
    ["U+2066 LRI", "\u2066"],
    ["U+2067 RLI", "\u2067"],
    ["U+2068 FSI", "\u2068"],
    ["U+2069 PDI", "\u2069"],
    ["U+200E LRM", "\u200e"],
    ["U+200F RLM", "\u200f"],
    ["U+061C ALM", "\u061c"],
  ])("rejects bidi control %s", (_name, ch) => {
    rejects(`invoice${ch}fdp.exe`);
  });
  it.each([
    ["NUL", "\u0000"],
    ["TAB", "\t"],
    ["LF", "\n"],
    ["CR", "\r"],
    ["ESC", "\u001b"],
    ["DEL", "\u007f"],
    ["C1 CSI", "\u009b"],
    ["U+2028 line separator", "\u2028"],
    ["U+2029 paragraph separator", "\u2029"],
  ])("rejects control %s", (_name, ch) => {
    rejects(`a${ch}b`);
  });
  it.each([
    ["U+200B zero width space", "\u200b"],
    ["U+200C zero width non-joiner", "\u200c"],
    ["U+2060 word joiner", "\u2060"],
    ["U+FEFF BOM", "\ufeff"],
    ["U+00AD soft hyphen", "\u00ad"],
    ["U+E0041 tag", "\u{e0041}"],
    ["private use U+E000", "\ue000"],
    ["lone surrogate", "\ud800"],
    ["noncharacter U+FFFF", "\uffff"],
  ])("rejects invisible %s", (_name, ch) => {
    rejects(`pay${ch}pal`);
  });
  it("rejects a zero width joiner between letters", () => {
    rejects("pay\u200dpal");
  });
  it("accepts a zero width joiner inside an emoji sequence", () => {
    expect(nameSchema.safeParse("team 👨\u200d👩\u200d👧").success).toBe(true);
    expect(nameSchema.safeParse("👩🏽\u200d💻 ops").success).toBe(true);
  });
  it("rejects a trailing zero width joiner after an emoji", () => {
    rejects("👨\u200d");
  });
  it("rejects leading or trailing whitespace and empty names", () => {
    rejects(" name");
    rejects("name ");
    rejects("");
  });
  it("enforces the name length limit", () => {
    expect(nameSchema.safeParse("a".repeat(64)).success).toBe(true);
    rejects("a".repeat(65));
  });
  it("memo may be empty but not longer than 256 code points", () => {
    expect(memoSchema.parse("")).toBe("");
    expect(memoSchema.safeParse("m".repeat(256)).success).toBe(true);
    expect(memoSchema.safeParse("m".repeat(257)).success).toBe(false);
  });
});
