import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import {
  checkEthereumAddress,
  ETHEREUM_ADDRESS_REFUSALS,
  ethereumAddressSchema,
  toChecksumAddress,
  type EthereumAddressRefusal,
} from "../src/ethereum-address";
import { eip55AllCaps, eip55AllLower, eip55Normal } from "./vectors/eip55-vectors";

const allVectors = [...eip55AllCaps, ...eip55AllLower, ...eip55Normal];

/** The typed reason an address is refused for, checked on the checker and the schema. */
function refusal(address: string, options: { allowUnchecksummed?: boolean } = {}) {
  const result = checkEthereumAddress(address, options);
  if (result.ok) throw new Error(`accepted ${address}`);
  expect(ETHEREUM_ADDRESS_REFUSALS).toContain(result.reason);
  const parsed = ethereumAddressSchema(options).safeParse(address);
  expect(parsed.error).toBeInstanceOf(ZodError);
  const [issue, ...more] = parsed.error?.issues ?? [];
  expect(more).toEqual([]);
  expect(issue?.code === "custom" ? issue.params : issue).toEqual({ reason: result.reason });
  return result.reason;
}

/** Every spelling of `address` with exactly one letter's case flipped. */
function oneLetterFlipped(address: string): string[] {
  const body = address.slice(2);
  return Array.from({ length: body.length }, (_, i) => body.charAt(i)).flatMap((ch, i) => {
    const flipped = ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
    return flipped === ch ? [] : [`0x${body.slice(0, i)}${flipped}${body.slice(i + 1)}`];
  });
}

describe("EIP-55 test vectors", () => {
  it.each(allVectors)("%s is its own checksum spelling", (address) => {
    expect(toChecksumAddress(address.slice(2))).toBe(address);
  });
  it.each(allVectors)("accepts %s unchanged, by default", (address) => {
    expect(checkEthereumAddress(address)).toEqual({ ok: true, value: address });
    expect(ethereumAddressSchema().parse(address)).toBe(address);
  });
  it.each(allVectors)("refuses %s with any one letter's case flipped", (address) => {
    const variants = oneLetterFlipped(address);
    expect(variants.length).toBeGreaterThan(0);
    const reasons = new Set<EthereumAddressRefusal>(variants.map((variant) => refusal(variant)));
    expect([...reasons]).toEqual(["checksum-mismatch"]);
  });
});

describe("single-case spellings that are not the checksum spelling", () => {
  const otherSingleCase = allVectors.flatMap((address) =>
    [`0x${address.slice(2).toLowerCase()}`, `0x${address.slice(2).toUpperCase()}`].filter(
      (spelling) => spelling !== address,
    ),
  );
  it("are one per single-case vector and two per mixed-case one", () => {
    expect(otherSingleCase).toHaveLength(
      eip55AllCaps.length + eip55AllLower.length + 2 * eip55Normal.length,
    );
  });
  it.each(otherSingleCase)("refuses %s as carrying no checksum", (spelling) => {
    expect(refusal(spelling)).toBe("no-checksum");
  });
  it.each(otherSingleCase)(
    "accepts %s when unchecksummed input is allowed, as the checksum spelling",
    (spelling) => {
      const expected = allVectors.find(
        (address) => address.toLowerCase() === spelling.toLowerCase(),
      );
      expect(ethereumAddressSchema({ allowUnchecksummed: true }).parse(spelling)).toBe(expected);
    },
  );
});

describe("other refusals", () => {
  it("refuses the zero address, whatever the options", () => {
    expect(refusal(`0x${"0".repeat(40)}`)).toBe("zero-address");
    expect(refusal(`0x${"0".repeat(40)}`, { allowUnchecksummed: true })).toBe("zero-address");
  });
  it.each([
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA",
    "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",
    " 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe\u0111",
  ])("refuses %j as not 0x and 40 hex digits", (value) => {
    expect(refusal(value)).toBe("bad-shape");
  });
});
