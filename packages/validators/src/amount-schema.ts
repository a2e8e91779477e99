import { z } from "zod";
import type { Chain } from "./chain-schema";

/**
 * Hard upper bounds in base units. Bitcoin: the 21e6 BTC supply cap in satoshis.
 * Ethereum: the uint256 range of a transaction value in wei. Deployments may impose a
 * lower cap (`amountSchema(chain, { max })`); the hard bound always applies.
 */
export const AMOUNT_HARD_LIMITS: Readonly<Record<Chain, bigint>> = {
  bitcoin: 21_000_000n * 100_000_000n,
  ethereum: 2n ** 256n - 1n,
};

/** Decimal digits of the largest hard limit (2^256 - 1 has 78 digits). */
const MAX_DIGITS = 78;
const CANONICAL_DECIMAL = /^[1-9][0-9]*$/;

export interface AmountOptions {
  /** Deployment cap in base units; must not exceed the chain's hard limit. */
  max?: bigint;
}

/**
 * Amount in integer base units (satoshi, wei) as a canonical decimal string: digits only,
 * no sign, no leading zeros, no whitespace, no exponent, > 0 and <= the cap. The string
 * stays a string on the wire; `parseAmount` gives the bigint.
 */
export function amountSchema(chain: Chain, options: AmountOptions = {}) {
  const hard = AMOUNT_HARD_LIMITS[chain];
  const max = options.max ?? hard;
  if (max < 1n || max > hard)
    throw new RangeError("amountSchema: max must be within 1..hard limit");
  return (
    z
      .string()
      .max(MAX_DIGITS, "amount too long")
      .regex(CANONICAL_DECIMAL, "expected a positive integer in base units without leading zeros")
      // zod keeps checking after a failed regex, so guard the conversion.
      .refine((value) => !CANONICAL_DECIMAL.test(value) || BigInt(value) <= max, {
        message: `amount exceeds the ${chain} limit`,
      })
  );
}

export function parseAmount(value: string): bigint {
  if (value.length > MAX_DIGITS || !CANONICAL_DECIMAL.test(value))
    throw new RangeError("not a canonical amount");
  return BigInt(value);
}
