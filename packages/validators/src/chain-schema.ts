import { z } from "zod";

export const CHAINS = ["bitcoin", "ethereum"] as const;
export const chainSchema = z.enum(CHAINS);
export type Chain = z.infer<typeof chainSchema>;

/** Bitcoin networks; testnet covers testnet3/testnet4/signet, which share address formats. */
export const BITCOIN_NETWORKS = ["mainnet", "testnet", "regtest"] as const;
export const bitcoinNetworkSchema = z.enum(BITCOIN_NETWORKS);
export type BitcoinNetwork = z.infer<typeof bitcoinNetworkSchema>;

export const ETHEREUM_NETWORKS = ["mainnet", "sepolia", "holesky"] as const;
export const ethereumNetworkSchema = z.enum(ETHEREUM_NETWORKS);
export type EthereumNetwork = z.infer<typeof ethereumNetworkSchema>;

export const chainNetworkSchema = z.discriminatedUnion("chain", [
  z.strictObject({ chain: z.literal("bitcoin"), network: bitcoinNetworkSchema }),
  z.strictObject({ chain: z.literal("ethereum"), network: ethereumNetworkSchema }),
]);
export type ChainNetwork = z.infer<typeof chainNetworkSchema>;
