import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { Address, OutScript, Transaction } from "@scure/btc-signer";
import { RawPSBTV0, RawPSBTV2, type TransactionInput } from "@scure/btc-signer/psbt.js";
import type { BitcoinNetwork } from "@conclave/validators/chain-schema";
import { taprootOutputScriptHex } from "@conclave/validators/taproot-address";
import { BTC_SIGNER_NETWORKS, XPUB_VERSIONS } from "./bitcoin-networks";
import { PsbtRefusal } from "./psbt-refusal";

/** Limits that keep one ceremony's work bounded; a 10-input PSBT is far inside them. */
export const MAX_PSBT_INPUTS = 64;
export const MAX_PSBT_OUTPUTS = 64;
/** Far above what 64 key-path inputs and 64 outputs need, far below the 64 KiB body limit. */
export const MAX_PSBT_BYTES = 32 * 1024;

export interface FeePolicy {
  /** Highest absolute fee, in satoshi. */
  readonly maxFeeSats: bigint;
  /** Below this (sat/vB) the transaction would not relay; above the max it is a mistake. */
  readonly minFeeRate: number;
  readonly maxFeeRate: number;
}

export type SighashTypeName = "DEFAULT" | "ALL";

/** What guardians review; amounts are satoshi as decimal strings. */
export interface PsbtSummary {
  network: BitcoinNetwork;
  /** The id the transaction will have once signed (key-path witnesses do not change it). */
  txid: string;
  version: number;
  lockTime: number;
  inputs: {
    txid: string;
    vout: number;
    amount: string;
    sequence: number;
    sighash: SighashTypeName;
  }[];
  outputs: { address: string; amount: string; change: boolean }[];
  totalInput: string;
  /** Paid to addresses other than the vault's own. */
  sent: string;
  /** Paid back to the vault's own address. */
  change: string;
  fee: string;
  /** Virtual size once every input carries its key-path signature. */
  vsize: number;
  /** sat/vB with two decimals, rounded down. */
  feeRate: string;
}

export interface DecodedVaultPsbt {
  summary: PsbtSummary;
  /** Per input, the BIP341 key-path signature hash (empty merkle root): the FROST messages. */
  sighashes: string[];
}

// Input fields that only a script path, another signer or a finished PSBT would carry.
const FOREIGN_INPUT_FIELDS = [
  "partialSig",
  "redeemScript",
  "witnessScript",
  "tapScriptSig",
  "tapLeafScript",
  "tapMerkleRoot",
  "p2cKeyTweak",
  "musig2ParticipantPubkeys",
  "musig2PubNonce",
  "musig2PartialSig",
] as const;
const SIGNED_INPUT_FIELDS = ["finalScriptSig", "finalScriptWitness", "tapKeySig"] as const;

/**
 * Parses a PSBT (BIP174/BIP370 with BIP371 fields) that spends the vault's key path and
 * returns its normalised summary and per-input sighashes, or throws PsbtRefusal. The
 * server runs it on upload and every guardian's client runs it again on its own copy.
 */
export function decodeVaultPsbt(
  psbt: Uint8Array,
  vault: { outputKeyXOnly: string; network: BitcoinNetwork },
  policy: FeePolicy,
): DecodedVaultPsbt {
  try {
    return decode(psbt, vault, policy);
  } catch (error) {
    if (error instanceof PsbtRefusal) throw error;
    // The library throws plain Errors for every malformed byte string.
    throw new PsbtRefusal("malformed", "not a valid PSBT (BIP174)");
  }
}

function decode(
  psbt: Uint8Array,
  vault: { outputKeyXOnly: string; network: BitcoinNetwork },
  policy: FeePolicy,
): DecodedVaultPsbt {
  if (psbt.length > MAX_PSBT_BYTES)
    throw new PsbtRefusal("malformed", `a PSBT is at most ${MAX_PSBT_BYTES} bytes`);
  const raw = decodeRawPsbt(psbt);
  for (const [xpub] of raw.global.xpub ?? []) {
    if (xpub.version !== XPUB_VERSIONS[vault.network])
      throw new PsbtRefusal(
        "network_mismatch",
        `the PSBT's extended keys are not for ${vault.network}`,
      );
  }
  const vaultScript = taprootOutputScriptHex(vault.outputKeyXOnly);
  // Checked on the raw maps, before the library's own checks could refuse them less precisely.
  const hashTypes = raw.inputs.map((input, i) =>
    keyPathHashType(input, i, vault.outputKeyXOnly, vaultScript),
  );
  // Outputs of unknown types are refused below, with their own reason.
  const tx = Transaction.fromPSBT(psbt, { allowUnknownOutputs: true });
  if (tx.inputsLength === 0) throw new PsbtRefusal("no_inputs", "the PSBT spends nothing");
  if (tx.outputsLength === 0) throw new PsbtRefusal("no_outputs", "the PSBT pays no one");
  if (tx.inputsLength > MAX_PSBT_INPUTS)
    throw new PsbtRefusal("too_many_inputs", `at most ${MAX_PSBT_INPUTS} inputs`);
  if (tx.outputsLength > MAX_PSBT_OUTPUTS)
    throw new PsbtRefusal("too_many_outputs", `at most ${MAX_PSBT_OUTPUTS} outputs`);

  const outpoints = new Set<string>();
  const inputs: PsbtSummary["inputs"] = [];
  const prevoutScripts: Uint8Array[] = [];
  const amounts: bigint[] = [];
  for (let i = 0; i < tx.inputsLength; i++) {
    const input = tx.getInput(i);
    const hashType = hashTypes[i];
    if (
      input.txid === undefined ||
      input.index === undefined ||
      input.witnessUtxo === undefined ||
      hashType === undefined
    )
      throw new PsbtRefusal("malformed", `input ${i} is incomplete`);
    const txid = hex.encode(input.txid);
    const outpoint = `${txid}:${input.index}`;
    if (outpoints.has(outpoint))
      throw new PsbtRefusal("duplicate_input", `input ${i} spends ${outpoint} a second time`);
    outpoints.add(outpoint);
    inputs.push({
      txid,
      vout: input.index,
      amount: input.witnessUtxo.amount.toString(),
      sequence: input.sequence ?? 0xffffffff,
      sighash: hashType === 0 ? "DEFAULT" : "ALL",
    });
    prevoutScripts.push(input.witnessUtxo.script);
    amounts.push(input.witnessUtxo.amount);
  }

  const network = BTC_SIGNER_NETWORKS[vault.network];
  const outputs: PsbtSummary["outputs"] = [];
  let sent = 0n;
  let change = 0n;
  for (let i = 0; i < tx.outputsLength; i++) {
    const output = tx.getOutput(i);
    if (output.script === undefined || output.amount === undefined)
      throw new PsbtRefusal("malformed", `output ${i} is incomplete`);
    const decoded = OutScript.decode(output.script);
    if (!["pkh", "sh", "wpkh", "wsh", "tr"].includes(decoded.type))
      throw new PsbtRefusal("unknown_output_script", `output ${i} pays an unknown script type`);
    const isChange = hex.encode(output.script) === vaultScript;
    if (isChange) change += output.amount;
    else sent += output.amount;
    outputs.push({
      address: Address(network).encode(decoded),
      amount: output.amount.toString(),
      change: isChange,
    });
  }

  const totalInput = amounts.reduce((sum, amount) => sum + amount, 0n);
  const fee = totalInput - sent - change;
  const vsize = signedVsize(tx, hashTypes);
  if (fee < 0n)
    throw new PsbtRefusal("fee_rate_nonsensical", "the outputs spend more than the inputs");
  if (fee > policy.maxFeeSats)
    throw new PsbtRefusal(
      "fee_above_cap",
      `the fee ${fee} sat is above the cap of ${policy.maxFeeSats} sat`,
    );
  const centiRate = (fee * 100n) / BigInt(vsize);
  if (
    centiRate < BigInt(Math.round(policy.minFeeRate * 100)) ||
    centiRate > BigInt(Math.round(policy.maxFeeRate * 100))
  )
    throw new PsbtRefusal(
      "fee_rate_nonsensical",
      `a fee rate of ${formatCenti(centiRate)} sat/vB is outside ${policy.minFeeRate}..${policy.maxFeeRate}`,
    );

  const sighashes = hashTypes.map((hashType, i) =>
    hex.encode(tx.preimageWitnessV1(i, prevoutScripts, hashType, amounts)),
  );
  return {
    summary: {
      network: vault.network,
      txid: tx.id,
      version: tx.version,
      lockTime: tx.lockTime,
      inputs,
      outputs,
      totalInput: totalInput.toString(),
      sent: sent.toString(),
      change: change.toString(),
      fee: fee.toString(),
      vsize,
      feeRate: formatCenti(centiRate),
    },
    sighashes,
  };
}

function decodeRawPsbt(psbt: Uint8Array) {
  try {
    return RawPSBTV0.decode(psbt);
  } catch {
    return RawPSBTV2.decode(psbt);
  }
}

/** Refuses an input the vault cannot spend by key path alone; returns its sighash type. */
function keyPathHashType(
  input: TransactionInput,
  i: number,
  outputKeyXOnly: string,
  vaultScript: string,
): 0 | 1 {
  if (input.witnessUtxo === undefined)
    throw new PsbtRefusal("missing_witness_utxo", `input ${i} has no witness_utxo`);
  if (hex.encode(input.witnessUtxo.script) !== vaultScript)
    throw new PsbtRefusal("not_vault_key_path", `input ${i} does not spend the vault's address`);
  for (const field of FOREIGN_INPUT_FIELDS) {
    if (input[field] !== undefined)
      throw new PsbtRefusal(
        "not_vault_key_path",
        `input ${i} carries ${field}: not a key-path spend`,
      );
  }
  if (input.tapInternalKey !== undefined && !tweaksTo(input.tapInternalKey, outputKeyXOnly))
    throw new PsbtRefusal("not_vault_key_path", `input ${i}: tap_internal_key is not the vault's`);
  for (const field of SIGNED_INPUT_FIELDS) {
    if (input[field] !== undefined)
      throw new PsbtRefusal("already_signed", `input ${i} is already signed (${field})`);
  }
  const hashType = input.sighashType ?? 0;
  if (hashType !== 0 && hashType !== 1)
    throw new PsbtRefusal("sighash_not_allowed", `input ${i}: only SIGHASH_DEFAULT or SIGHASH_ALL`);
  return hashType;
}

/** BIP341: Q = P + H_TapTweak(P)G with an empty merkle root. */
function tweaksTo(internalKey: Uint8Array, outputKeyXOnly: string): boolean {
  const Point = schnorr.Point;
  const p = Point.fromHex(`02${hex.encode(internalKey)}`);
  const t = schnorr.utils.taggedHash("TapTweak", internalKey);
  const q = p.add(Point.BASE.multiply(BigInt(`0x${hex.encode(t)}`) % Point.Fn.ORDER));
  return hex.encode(schnorr.utils.pointToBytes(q)) === outputKeyXOnly;
}

/**
 * Weight of the signed transaction: the stripped size counts four times, each key-path
 * witness (item count, length, 64-byte signature, plus the sighash byte for ALL) once,
 * and the segwit marker and flag once.
 */
function signedVsize(tx: Transaction, hashTypes: readonly number[]): number {
  const stripped = tx.toBytes(true, false).length;
  const witness = hashTypes.reduce((sum, hashType) => sum + 2 + (hashType === 0 ? 64 : 65), 0);
  return Math.ceil((stripped * 4 + 2 + witness) / 4);
}

function formatCenti(centi: bigint): string {
  return `${centi / 100n}.${(centi % 100n).toString().padStart(2, "0")}`;
}
