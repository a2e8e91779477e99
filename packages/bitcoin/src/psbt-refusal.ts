/** Why a PSBT is refused; each is a distinct, documented answer to the admin. */
export const PSBT_REFUSALS = [
  "malformed",
  "no_inputs",
  "no_outputs",
  "too_many_inputs",
  "too_many_outputs",
  "missing_witness_utxo",
  "not_vault_key_path",
  "already_signed",
  "sighash_not_allowed",
  "duplicate_input",
  "unknown_output_script",
  "network_mismatch",
  "fee_above_cap",
  "fee_rate_nonsensical",
] as const;
export type PsbtRefusalReason = (typeof PSBT_REFUSALS)[number];

export class PsbtRefusal extends Error {
  override readonly name = "PsbtRefusal";
  constructor(
    readonly reason: PsbtRefusalReason,
    message: string,
  ) {
    super(message);
  }
}
