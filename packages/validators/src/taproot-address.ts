import { bech32m, hex } from "@scure/base";
import { BITCOIN_NETWORK_PARAMS } from "./bitcoin-address";
import type { BitcoinNetwork } from "./chain-schema";
import { bitcoinNetworkSchema } from "./chain-schema";

const X_ONLY_KEY = /^[0-9a-f]{64}$/;

/**
 * The P2TR address (BIP341 witness v1, BIP350 bech32m) whose witness program is
 * `outputKeyXOnly`. The key must already be the tweaked output key: a vault's FROST group
 * key is (packages/frost/src/public-key-package.ts), so it is used as is, never tweaked
 * again.
 */
export function taprootAddress(outputKeyXOnly: string, network: BitcoinNetwork): string {
  if (!X_ONLY_KEY.test(outputKeyXOnly)) {
    throw new TypeError("expected a 32-byte x-only key in lowercase hex");
  }
  const words = bech32m.toWords(hex.decode(outputKeyXOnly));
  return bech32m.encode(BITCOIN_NETWORK_PARAMS[network].hrp, [1, ...words]);
}

/** The scriptPubKey of that address: OP_1, a 32-byte push, the output key. */
export function taprootOutputScriptHex(outputKeyXOnly: string): string {
  if (!X_ONLY_KEY.test(outputKeyXOnly)) {
    throw new TypeError("expected a 32-byte x-only key in lowercase hex");
  }
  return `5120${outputKeyXOnly}`;
}

/**
 * The address a vault receives coins at: only an ACTIVE Bitcoin vault has one, since
 * before its key generation completes there is no key, and a retired vault must not be
 * handed out as a destination.
 */
export function vaultTaprootAddress(vault: {
  chain: string;
  network: string;
  status: string;
  groupPublicKeyXOnly: string | null;
}): string | null {
  if (vault.chain !== "bitcoin" || vault.status !== "ACTIVE" || vault.groupPublicKeyXOnly === null)
    return null;
  const network = bitcoinNetworkSchema.safeParse(vault.network);
  if (!network.success) return null;
  return taprootAddress(vault.groupPublicKeyXOnly, network.data);
}
