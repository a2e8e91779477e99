import { randomBytes } from "node:crypto";
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import type { BitcoinNetwork } from "@conclave/validators/chain-schema";
import { taprootOutputScriptHex } from "@conclave/validators/taproot-address";
import { BTC_SIGNER_NETWORKS } from "../bitcoin-networks";

export interface MadeUpPrevout {
  readonly txid: string;
  readonly vout: number;
  readonly amount: bigint;
  readonly script: Uint8Array;
}

/**
 * For tests and the bench: an unsigned PSBT spending made-up outputs that pay the vault's
 * P2TR script (random previous txids), to `outputs` by address. `change` is paid back to
 * the vault's own address.
 */
export function buildVaultPsbt(options: {
  outputKeyXOnly: string;
  network: BitcoinNetwork;
  inputs: readonly bigint[];
  outputs: readonly { address: string; amount: bigint }[];
  change?: bigint;
  sighashType?: number;
}): { psbt: Uint8Array; prevouts: MadeUpPrevout[] } {
  const script = hex.decode(taprootOutputScriptHex(options.outputKeyXOnly));
  const tx = new Transaction();
  const prevouts = options.inputs.map((amount, vout) => ({
    txid: randomBytes(32).toString("hex"),
    vout,
    amount,
    script,
  }));
  for (const prevout of prevouts) {
    tx.addInput({
      txid: prevout.txid,
      index: prevout.vout,
      witnessUtxo: { script, amount: prevout.amount },
      ...(options.sighashType === undefined ? {} : { sighashType: options.sighashType }),
    });
  }
  const network = BTC_SIGNER_NETWORKS[options.network];
  for (const output of options.outputs) tx.addOutputAddress(output.address, output.amount, network);
  if (options.change !== undefined) tx.addOutput({ script, amount: options.change });
  return { psbt: tx.toPSBT(), prevouts };
}
