import { NETWORK, TEST_NETWORK } from "@scure/btc-signer";
import type { BitcoinNetwork } from "@conclave/validators/chain-schema";

type BtcSignerNetwork = typeof NETWORK;

/** @scure/btc-signer's parameters for each network a vault can be on. */
export const BTC_SIGNER_NETWORKS: Readonly<Record<BitcoinNetwork, BtcSignerNetwork>> = {
  mainnet: NETWORK,
  testnet: TEST_NETWORK,
  regtest: { ...TEST_NETWORK, bech32: "bcrt" },
};

/** BIP32 extended public key versions: xpub on mainnet, tpub on the test networks. */
export const XPUB_VERSIONS: Readonly<Record<BitcoinNetwork, number>> = {
  mainnet: 0x0488b21e,
  testnet: 0x043587cf,
  regtest: 0x043587cf,
};
