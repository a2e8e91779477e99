import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";

/**
 * Checks a raw transaction the way consensus checks a taproot key-path spend, without
 * Conclave's code: per input, the witness is one signature (64 bytes, or 65 with a
 * non-default sighash byte), the BIP341 sighash is recomputed by @scure/btc-signer from
 * the prevouts, and @noble/curves' BIP340 verifier checks it against the output key.
 * Returns one verdict per input.
 */
export function verifyKeyPathSpends(
  rawTransaction: string,
  prevouts: readonly { amount: bigint; script: Uint8Array }[],
): boolean[] {
  const tx = Transaction.fromRaw(hex.decode(rawTransaction));
  const scripts = prevouts.map((p) => p.script);
  const amounts = prevouts.map((p) => p.amount);
  return prevouts.map((prevout, i) => {
    const witness = tx.getInput(i).finalScriptWitness;
    const signature = witness?.[0];
    if (witness?.length !== 1 || signature === undefined) return false;
    if (prevout.script.length !== 34 || prevout.script[0] !== 0x51 || prevout.script[1] !== 0x20)
      return false;
    const hashType = signature.length === 65 ? signature[64] : 0;
    if (signature.length !== 64 && (signature.length !== 65 || hashType === 0)) return false;
    const message = tx.preimageWitnessV1(i, scripts, hashType ?? 0, amounts);
    return schnorr.verify(signature.subarray(0, 64), message, prevout.script.subarray(2));
  });
}
