import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import {
  encodeTransactionForDigest,
  taggedHash,
  transactionDigest,
  type TransactionDigestInput,
} from "../src/transaction-digest";

const base: TransactionDigestInput = {
  vaultId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
  transactionId: "9b2f4c1e-7d3a-4f6b-8c5d-1e2f3a4b5c6d",
  chain: "bitcoin",
  network: "mainnet",
  destination: "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
  amount: "150000",
  memo: "rent",
};

describe("transaction digest", () => {
  it("is a 32-byte BIP340 tagged hash with tag conclave/tx/v1", () => {
    const tag = sha256(new TextEncoder().encode("conclave/tx/v1"));
    const expected = sha256(new Uint8Array([...tag, ...tag, ...encodeTransactionForDigest(base)]));
    expect(transactionDigest(base)).toBe(Buffer.from(expected).toString("hex"));
    expect(Buffer.from(taggedHash("conclave/tx/v1", new Uint8Array())).length).toBe(32);
  });

  it("is deterministic", () => {
    expect(transactionDigest({ ...base })).toBe(transactionDigest(base));
  });

  it.each([
    ["vaultId", { vaultId: "3f2504e0-4f89-41d3-9a0c-0305e82c3302" }],
    ["transactionId", { transactionId: "9b2f4c1e-7d3a-4f6b-8c5d-1e2f3a4b5c6e" }],
    ["destination", { destination: "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4" }],
    ["amount", { amount: "150001" }],
    ["memo", { memo: "rent." }],
  ] as const)("changes when %s changes", (_field, change) => {
    expect(transactionDigest({ ...base, ...change })).not.toBe(transactionDigest(base));
  });

  it("changes when only the network changes (same testnet/regtest base58 address)", () => {
    const testnet = {
      ...base,
      network: "testnet",
      destination: "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn",
    } as const;
    expect(transactionDigest({ ...testnet, network: "regtest" })).not.toBe(
      transactionDigest(testnet),
    );
  });

  it("changes when the chain changes", () => {
    const eth: TransactionDigestInput = {
      ...base,
      chain: "ethereum",
      network: "mainnet",
      destination: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    };
    const ethNoMemo = { ...eth, memo: "" };
    expect(transactionDigest(eth)).not.toBe(transactionDigest(base));
    expect(transactionDigest(ethNoMemo)).not.toBe(transactionDigest(eth));
  });

  it("does not collide when bytes move between adjacent fields", () => {
    // Same concatenation "rent" + "" vs "ren" + "t" would collide without length prefixes;
    // here amount/memo boundaries shift while the joined text stays the same.
    const a = encodeTransactionForDigest({ ...base, amount: "15", memo: "0000" });
    const b = encodeTransactionForDigest({ ...base, amount: "150", memo: "000" });
    const joined = (bytes: Uint8Array) =>
      Buffer.from(bytes.filter((x) => x >= 0x20)).toString("latin1");
    expect(joined(a).endsWith("150000")).toBe(true);
    expect(joined(b).endsWith("150000")).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(transactionDigest({ ...base, amount: "15", memo: "0000" })).not.toBe(
      transactionDigest({ ...base, amount: "150", memo: "000" }),
    );
  });

  it("encodes each field as a 4-byte big-endian length and its UTF-8 bytes, in the documented order", () => {
    const encoded = encodeTransactionForDigest({ ...base, memo: "é" });
    const fields: string[] = [];
    let offset = 0;
    while (offset < encoded.length) {
      const length = new DataView(encoded.buffer, encoded.byteOffset + offset, 4).getUint32(
        0,
        false,
      );
      fields.push(Buffer.from(encoded.subarray(offset + 4, offset + 4 + length)).toString("utf8"));
      offset += 4 + length;
    }
    expect(offset).toBe(encoded.length);
    expect(fields).toEqual([
      base.vaultId,
      base.transactionId,
      "bitcoin",
      "mainnet",
      base.destination,
      "150000",
      "é",
    ]);
  });

  it("hashes the canonical forms: NFC memo and lowercase segwit destination", () => {
    expect(transactionDigest({ ...base, memo: "Cafe\u0301" })).toBe(
      transactionDigest({ ...base, memo: "Café" }),
    );
    expect(transactionDigest({ ...base, destination: base.destination.toUpperCase() })).toBe(
      transactionDigest(base),
    );
  });

  it("refuses invalid fields instead of hashing them", () => {
    expect(() => transactionDigest({ ...base, amount: "0" })).toThrow();
    expect(() => transactionDigest({ ...base, vaultId: "not-a-uuid" })).toThrow();
    expect(() => transactionDigest({ ...base, extra: "x" } as TransactionDigestInput)).toThrow();
  });
});
