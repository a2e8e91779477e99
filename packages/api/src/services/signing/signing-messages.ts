/**
 * The messages one ceremony signs: per input, a PSBT's BIP341 sighashes; otherwise the
 * one Conclave digest of an approval signature. Commitments, packages, shares and
 * signatures are per message, in this order.
 */
export function signingMessages(transaction: { sighashes: string[]; digest: string }): string[] {
  return transaction.sighashes.length > 0 ? transaction.sighashes : [transaction.digest];
}
