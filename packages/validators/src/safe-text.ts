import { z } from "zod";

/**
 * Refused code points, checked after NFC normalisation:
 * - Cc: C0/C1 controls and DEL (U+0000-001F, U+007F-009F), including tab and newlines;
 * - Cf: format characters, which covers the bidi embeddings and overrides
 *   U+202A-U+202E, the isolates U+2066-U+2069, the marks U+200E/U+200F/U+061C, the
 *   zero-width space/non-joiner/joiner U+200B-U+200D, word joiner U+2060, BOM U+FEFF,
 *   soft hyphen U+00AD and the tag characters U+E0000-E007F;
 *   the single exception is U+200D ZERO WIDTH JOINER between two pictographic
 *   characters, so emoji sequences such as family emoji survive;
 * - Zl, Zp: U+2028 line and U+2029 paragraph separators;
 * - Cs, Co, Cn: lone surrogates, private use, unassigned code points and noncharacters.
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u;
const ZWJ = "\u200d";
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** A pictograph may carry one emoji modifier or variation selector before the joiner. */
const PICTOGRAPHIC_WITH_MODIFIER = /\p{Extended_Pictographic}(?:[\u{1F3FB}-\u{1F3FF}]|\uFE0F)?$/u;

export type UnsafeTextReason = "forbidden-character" | "zwj-misuse" | "edge-whitespace";

/** First rule `text` (already NFC) breaks, or undefined. */
export function findUnsafeText(text: string): UnsafeTextReason | undefined {
  const chars = Array.from(text);
  for (const [i, ch] of chars.entries()) {
    if (ch === ZWJ) {
      const before = chars.slice(0, i).join("");
      const after = chars[i + 1] ?? "";
      if (!PICTOGRAPHIC_WITH_MODIFIER.test(before) || !PICTOGRAPHIC.test(after))
        return "zwj-misuse";
      continue;
    }
    if (FORBIDDEN.test(ch)) return "forbidden-character";
  }
  if (text !== text.trim()) return "edge-whitespace";
  return undefined;
}

export interface SafeTextOptions {
  /** Maximum length in Unicode code points, counted after NFC. */
  maxLength: number;
  /** Minimum length in code points (default 1). */
  minLength?: number;
}

/**
 * Human-entered text (names, memos): NFC-normalised, then limited in code points,
 * single line, no leading/trailing whitespace, and free of the characters listed above.
 * The parsed value is the NFC form, which is what gets stored and hashed.
 */
export function safeTextSchema(options: SafeTextOptions) {
  const min = options.minLength ?? 1;
  return z
    .string()
    .max(options.maxLength * 4, "text too long")
    .transform((value) => value.normalize("NFC"))
    .superRefine((value, ctx) => {
      const length = Array.from(value).length;
      if (length < min) ctx.addIssue({ code: "custom", message: `at least ${min} characters` });
      if (length > options.maxLength)
        ctx.addIssue({ code: "custom", message: `at most ${options.maxLength} characters` });
      const reason = findUnsafeText(value);
      if (reason !== undefined) ctx.addIssue({ code: "custom", message: `unsafe text: ${reason}` });
    });
}

export const NAME_MAX_LENGTH = 64;
export const MEMO_MAX_LENGTH = 256;

/** Vault and guardian display names. */
export const nameSchema = safeTextSchema({ maxLength: NAME_MAX_LENGTH });
/** Transaction memo; may be empty. */
export const memoSchema = safeTextSchema({ maxLength: MEMO_MAX_LENGTH, minLength: 0 });
