import { keccak_256 } from "@noble/hashes/sha3.js";
import { z } from "zod";

const SHAPE = /^0x[0-9a-fA-F]{40}$/;

/** EIP-55 checksum spelling of a 20-byte address given as 40 hex digits (any case). */
export function toChecksumAddress(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = ((hash[i >> 1] ?? 0) >> (i % 2 === 0 ? 4 : 0)) & 0x0f;
    const ch = lower.charAt(i);
    out += nibble >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}

/**
 * EIP-55 rule set:
 * - mixed case must equal the checksum spelling exactly;
 * - all-lowercase or all-uppercase hex carries no checksum. EIP-55 itself accepts it
 *   for backwards compatibility, but a typo would then go unnoticed, so this schema
 *   refuses it by default (`allowUnchecksummed: true` opts in, e.g. for imports);
 * - the zero address is refused: funds sent there are burnt.
 * The output is normalised to the checksum spelling.
 */
export function ethereumAddressSchema(options: { allowUnchecksummed?: boolean } = {}) {
  return z
    .string()
    .regex(SHAPE, "expected 0x followed by 40 hex digits")
    .superRefine((value, ctx) => {
      const body = value.slice(2);
      const uniform = body === body.toLowerCase() || body === body.toUpperCase();
      if (uniform && !/[a-fA-F]/.test(body)) {
        // Digits only: there is nothing to checksum, the spelling is already canonical.
      } else if (uniform) {
        if (options.allowUnchecksummed !== true) {
          ctx.addIssue({ code: "custom", message: "address has no EIP-55 checksum (single case)" });
        }
      } else if (toChecksumAddress(body) !== value) {
        ctx.addIssue({ code: "custom", message: "EIP-55 checksum mismatch" });
      }
      if (/^0+$/.test(body)) ctx.addIssue({ code: "custom", message: "zero address refused" });
    })
    .transform((value) => toChecksumAddress(value.slice(2)));
}
