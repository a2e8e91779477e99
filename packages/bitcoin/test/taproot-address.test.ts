import { Address, NETWORK, OutScript, TEST_NETWORK } from "@scure/btc-signer";
import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  taprootAddress,
  taprootOutputScriptHex,
  vaultTaprootAddress,
} from "@conclave/validators/taproot-address";
import { decodeBitcoinAddress } from "@conclave/validators/bitcoin-address";
import type { BitcoinNetwork } from "@conclave/validators/chain-schema";

const REGTEST = { ...TEST_NETWORK, bech32: "bcrt" };
const independent: Record<BitcoinNetwork, typeof NETWORK> = {
  mainnet: NETWORK,
  testnet: TEST_NETWORK,
  regtest: REGTEST,
};

function randomXOnlyKey(): string {
  return hex.encode(schnorr.getPublicKey(schnorr.utils.randomSecretKey()));
}

describe("the vault's taproot address", () => {
  // BIP86 vector: the output key of the first key of the test mnemonic.
  it("matches the BIP86 vector on mainnet", () => {
    expect(
      taprootAddress("a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c", "mainnet"),
    ).toBe("bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr");
  });

  for (const network of ["mainnet", "testnet", "regtest"] as const) {
    it(`equals @scure/btc-signer's encoding of the output key on ${network}`, () => {
      for (let i = 0; i < 20; i++) {
        const key = randomXOnlyKey();
        const expected = Address(independent[network]).encode({
          type: "tr",
          pubkey: hex.decode(key),
        });
        expect(taprootAddress(key, network)).toBe(expected);
        expect(taprootOutputScriptHex(key)).toBe(
          hex.encode(OutScript.encode({ type: "tr", pubkey: hex.decode(key) })),
        );
        const decoded = decodeBitcoinAddress(expected, network);
        expect(decoded.ok && decoded.value.kind).toBe("p2tr");
      }
    });
  }

  it("is only given to ACTIVE bitcoin vaults with a key", () => {
    const key = randomXOnlyKey();
    const vault = {
      chain: "bitcoin",
      network: "testnet",
      status: "ACTIVE",
      groupPublicKeyXOnly: key,
    };
    expect(vaultTaprootAddress(vault)).toBe(taprootAddress(key, "testnet"));
    expect(vaultTaprootAddress({ ...vault, status: "KEYGEN" })).toBeNull();
    expect(vaultTaprootAddress({ ...vault, status: "DISABLED" })).toBeNull();
    expect(vaultTaprootAddress({ ...vault, groupPublicKeyXOnly: null })).toBeNull();
    expect(vaultTaprootAddress({ ...vault, chain: "ethereum", network: "sepolia" })).toBeNull();
  });

  it("refuses a key that is not 32 bytes of lowercase hex", () => {
    expect(() => taprootAddress("ab", "mainnet")).toThrow(TypeError);
    expect(() => taprootAddress(randomXOnlyKey().toUpperCase(), "mainnet")).toThrow(TypeError);
  });
});
