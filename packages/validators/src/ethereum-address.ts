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

/** Why an address is refused; `ethereumAddressSchema` puts it in the issue's `params.reason`. */
export const ETHEREUM_ADDRESS_REFUSALS = [
  "bad-shape",
  "checksum-mismatch",
  "no-checksum",
  "zero-address",
] as const;
export type EthereumAddressRefusal = (typeof ETHEREUM_ADDRESS_REFUSALS)[number];

/**
 * EIP-55 rule set:
 * - an address spelled exactly as its checksum spelling is accepted, whatever its case
 *   pattern. About one address in 2^15 hashes to a single-case spelling (EIP-55's own
 *   "all caps" and "all lower" test vectors), and those carry their checksum too;
 * - any other mixed-case spelling is a checksum mismatch;
 * - any other single-case spelling carries no checksum. EIP-55 itself accepts it for
 *   backwards compatibility, but a typo would then go unnoticed, so it is refused by
 *   default (`allowUnchecksummed: true` opts in, e.g. for imports);
 * - the zero address is refused: funds sent there are burnt.
 */
export function checkEthereumAddress(
  value: string,
  options: { allowUnchecksummed?: boolean } = {},
): { ok: true; value: string } | { ok: false; reason: EthereumAddressRefusal } {
  if (!SHAPE.test(value)) return { ok: false, reason: "bad-shape" };
  const body = value.slice(2);
  if (/^0+$/.test(body)) return { ok: false, reason: "zero-address" };
  const checksummed = toChecksumAddress(body);
  if (value === checksummed) return { ok: true, value };
  const singleCase = body === body.toLowerCase() || body === body.toUpperCase();
  if (!singleCase) return { ok: false, reason: "checksum-mismatch" };
  if (options.allowUnchecksummed !== true) return { ok: false, reason: "no-checksum" };
  return { ok: true, value: checksummed };
}

/** `checkEthereumAddress` as a schema; the output is the checksum spelling. */
export function ethereumAddressSchema(options: { allowUnchecksummed?: boolean } = {}) {
  return z.string().transform((value, ctx) => {
    const result = checkEthereumAddress(value, options);
    if (result.ok) return result.value;
    ctx.issues.push({
      code: "custom",
      input: value,
      message:
        result.reason === "bad-shape"
          ? "expected 0x followed by 40 hex digits"
          : `invalid ethereum address: ${result.reason}`,
      params: { reason: result.reason },
    });
    return z.NEVER;
  });
}
