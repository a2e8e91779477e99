import { base64, hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";

export interface FinalizedVaultPsbt {
  /** BIP174 base64, every input finalized with its key-path witness. */
  signedPsbt: string;
  /** The network serialization, ready for `sendrawtransaction`. */
  rawTransaction: string;
  txid: string;
}

/**
 * Puts each input's aggregated BIP340 signature in `tap_key_sig` (with the sighash byte
 * appended for SIGHASH_ALL, as BIP341 requires) and finalizes: the witness of a key-path
 * spend is that signature alone. The caller has checked every signature against its sighash.
 */
export function finalizeVaultPsbt(
  psbt: Uint8Array,
  signatures: readonly string[],
): FinalizedVaultPsbt {
  const tx = Transaction.fromPSBT(psbt);
  if (signatures.length !== tx.inputsLength)
    throw new RangeError(`expected ${tx.inputsLength} signatures, got ${signatures.length}`);
  for (const [i, signature] of signatures.entries()) {
    const hashType = tx.getInput(i).sighashType ?? 0;
    const bytes = hex.decode(signature);
    tx.updateInput(i, {
      tapKeySig: hashType === 0 ? bytes : Uint8Array.of(...bytes, hashType),
    });
  }
  tx.finalize();
  return {
    signedPsbt: base64.encode(tx.toPSBT()),
    rawTransaction: hex.encode(tx.extract()),
    txid: tx.id,
  };
}
