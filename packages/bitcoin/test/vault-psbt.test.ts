import { randomBytes } from "node:crypto";
import { schnorr } from "@noble/curves/secp256k1.js";
import { base64, hex } from "@scure/base";
import { p2tr, Transaction } from "@scure/btc-signer";
import { RawPSBTV0 } from "@scure/btc-signer/psbt.js";
import { describe, expect, it } from "vitest";
import type { BitcoinNetwork } from "@conclave/validators/chain-schema";
import { taprootOutputScriptHex } from "@conclave/validators/taproot-address";
import { decodeVaultPsbt, type FeePolicy } from "../src/decode-vault-psbt";
import { finalizeVaultPsbt } from "../src/finalize-vault-psbt";
import { PsbtRefusal, type PsbtRefusalReason } from "../src/psbt-refusal";
import { buildVaultPsbt } from "../src/testing/build-vault-psbt";
import { verifyKeyPathSpends } from "../src/testing/verify-key-path-spends";

const policy: FeePolicy = { maxFeeSats: 100_000n, minFeeRate: 1, maxFeeRate: 1_000 };
// A plain key stands in for the FROST group key: both are x-only output keys.
const secret = schnorr.utils.randomSecretKey();
const outputKeyXOnly = hex.encode(schnorr.getPublicKey(secret));
const vault: { outputKeyXOnly: string; network: BitcoinNetwork } = {
  outputKeyXOnly,
  network: "testnet",
};
const payee = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx";

function refusalOf(psbt: Uint8Array, onVault = vault): PsbtRefusalReason | "accepted" {
  try {
    decodeVaultPsbt(psbt, onVault, policy);
    return "accepted";
  } catch (error) {
    if (error instanceof PsbtRefusal) return error.reason;
    throw error;
  }
}

function twoInTwoOut(extra: { sighashType?: number; fee?: bigint } = {}) {
  const fee = extra.fee ?? 2_000n;
  return buildVaultPsbt({
    outputKeyXOnly,
    network: "testnet",
    inputs: [60_000n, 38_000n + fee],
    outputs: [{ address: payee, amount: 70_000n }],
    change: 28_000n,
    ...(extra.sighashType === undefined ? {} : { sighashType: extra.sighashType }),
  });
}

function edit(psbt: Uint8Array, change: (tx: Transaction) => void): Uint8Array {
  const tx = Transaction.fromPSBT(psbt, { allowUnknownOutputs: true });
  change(tx);
  return tx.toPSBT();
}

// For what the library itself would refuse to build.
function editRaw(
  psbt: Uint8Array,
  change: (raw: ReturnType<typeof RawPSBTV0.decode>) => void,
): Uint8Array {
  const raw = RawPSBTV0.decode(psbt);
  change(raw);
  return RawPSBTV0.encode(raw);
}

describe("a vault PSBT", () => {
  it("decodes to a summary with change, fee and fee rate, and signs to a valid spend", () => {
    const { psbt, prevouts } = twoInTwoOut();
    const { summary, sighashes } = decodeVaultPsbt(psbt, vault, policy);
    expect(summary.inputs.map((i) => i.amount)).toEqual(["60000", "40000"]);
    expect(summary.outputs).toEqual([
      { address: payee, amount: "70000", change: false },
      { address: expect.stringMatching(/^tb1p/u) as string, amount: "28000", change: true },
    ]);
    expect(summary).toMatchObject({
      totalInput: "100000",
      sent: "70000",
      change: "28000",
      fee: "2000",
    });
    // 2 key-path inputs, a P2WPKH and a P2TR output: 166 bytes stripped, 2 x 66 witness.
    expect(summary.vsize).toBe(200);
    expect(summary.feeRate).toBe("10.00");
    expect(sighashes).toHaveLength(2);
    const signatures = sighashes.map((m) => hex.encode(schnorr.sign(hex.decode(m), secret)));
    const final = finalizeVaultPsbt(psbt, signatures);
    expect(final.txid).toBe(summary.txid);
    expect(Transaction.fromRaw(hex.decode(final.rawTransaction)).vsize).toBe(summary.vsize);
    expect(verifyKeyPathSpends(final.rawTransaction, prevouts)).toEqual([true, true]);
    expect(Transaction.fromPSBT(base64.decode(final.signedPsbt)).isFinal).toBe(true);
  });

  it("signs SIGHASH_ALL inputs with the sighash byte appended", () => {
    const { psbt, prevouts } = twoInTwoOut({ sighashType: 1 });
    const { summary, sighashes } = decodeVaultPsbt(psbt, vault, policy);
    expect(summary.inputs.map((i) => i.sighash)).toEqual(["ALL", "ALL"]);
    const final = finalizeVaultPsbt(
      psbt,
      sighashes.map((m) => hex.encode(schnorr.sign(hex.decode(m), secret))),
    );
    expect(verifyKeyPathSpends(final.rawTransaction, prevouts)).toEqual([true, true]);
  });

  it("fails independent verification when a signature is for another input", () => {
    const { psbt, prevouts } = twoInTwoOut();
    const { sighashes } = decodeVaultPsbt(psbt, vault, policy);
    const first = hex.encode(schnorr.sign(hex.decode(sighashes[0] ?? ""), secret));
    const final = finalizeVaultPsbt(psbt, [first, first]);
    expect(verifyKeyPathSpends(final.rawTransaction, prevouts)).toEqual([true, false]);
  });

  it("accepts a tap_internal_key that tweaks to the vault's key, and no other", () => {
    const internal = schnorr.getPublicKey(schnorr.utils.randomSecretKey());
    const tweaked = hex.encode(p2tr(internal).tweakedPubkey);
    const { psbt } = buildVaultPsbt({
      outputKeyXOnly: tweaked,
      network: "testnet",
      inputs: [50_000n],
      outputs: [{ address: payee, amount: 48_000n }],
    });
    const onTweaked = { outputKeyXOnly: tweaked, network: "testnet" as const };
    expect(
      refusalOf(
        edit(psbt, (tx) => {
          tx.updateInput(0, { tapInternalKey: internal });
        }),
        onTweaked,
      ),
    ).toBe("accepted");
    const other = schnorr.getPublicKey(schnorr.utils.randomSecretKey());
    expect(
      refusalOf(
        editRaw(psbt, (raw) => {
          const first = raw.inputs[0];
          if (first) first.tapInternalKey = other;
        }),
        onTweaked,
      ),
    ).toBe("not_vault_key_path");
  });

  it("refuses what is not a PSBT, whole or truncated", () => {
    const { psbt } = twoInTwoOut();
    expect(refusalOf(randomBytes(200))).toBe("malformed");
    expect(refusalOf(psbt.subarray(0, psbt.length - 7))).toBe("malformed");
    expect(refusalOf(new Uint8Array())).toBe("malformed");
  });

  it("refuses an input without witness_utxo", () => {
    const { psbt } = twoInTwoOut();
    const raw = RawPSBTV0.decode(psbt);
    const first = raw.inputs[0];
    if (first === undefined) throw new Error("no input");
    delete first.witnessUtxo;
    expect(refusalOf(RawPSBTV0.encode(raw))).toBe("missing_witness_utxo");
  });

  it("refuses an input that is not the vault's key path", () => {
    const other = hex.encode(schnorr.getPublicKey(schnorr.utils.randomSecretKey()));
    const { psbt } = buildVaultPsbt({
      outputKeyXOnly: other,
      network: "testnet",
      inputs: [50_000n],
      outputs: [{ address: payee, amount: 48_000n }],
    });
    expect(refusalOf(psbt)).toBe("not_vault_key_path");
    const scriptPath = edit(twoInTwoOut().psbt, (tx) => {
      tx.updateInput(1, { tapMerkleRoot: randomBytes(32) });
    });
    expect(refusalOf(scriptPath)).toBe("not_vault_key_path");
  });

  it("refuses an input that is already signed", () => {
    const signed = edit(twoInTwoOut().psbt, (tx) => {
      tx.updateInput(0, { tapKeySig: randomBytes(64) });
    });
    expect(refusalOf(signed)).toBe("already_signed");
  });

  it("refuses sighash types other than DEFAULT and ALL", () => {
    for (const sighashType of [2, 3, 0x81, 0x83]) {
      expect(refusalOf(twoInTwoOut({ sighashType }).psbt)).toBe("sighash_not_allowed");
    }
  });

  it("refuses a fee above the cap and fee rates that make no sense", () => {
    expect(refusalOf(twoInTwoOut({ fee: 100_001n }).psbt)).toBe("fee_above_cap");
    expect(refusalOf(twoInTwoOut({ fee: 100n }).psbt)).toBe("fee_rate_nonsensical");
    expect(refusalOf(twoInTwoOut({ fee: -1n }).psbt)).toBe("fee_rate_nonsensical");
    expect(refusalOf(twoInTwoOut({ fee: 20_000n }).psbt)).toBe("accepted");
    const generous = { ...policy, maxFeeSats: 1_000_000n };
    expect(() => decodeVaultPsbt(twoInTwoOut({ fee: 250_000n }).psbt, vault, generous)).toThrow(
      /fee rate of 1250\.00 sat\/vB/u,
    );
  });

  it("refuses an output to an unknown script type", () => {
    const opReturn = edit(twoInTwoOut().psbt, (tx) =>
      tx.addOutput({ script: hex.decode("6a0568656c6c6f"), amount: 0n }),
    );
    expect(refusalOf(opReturn)).toBe("unknown_output_script");
  });

  it("refuses extended keys of another network", () => {
    const raw = RawPSBTV0.decode(twoInTwoOut().psbt);
    const xpub = {
      version: 0x0488b21e,
      depth: 0,
      parentFingerprint: 0,
      childNumber: 0,
      chainCode: new Uint8Array(32),
      publicKey: schnorr.Point.BASE.toBytes(true),
    };
    raw.global.xpub = [[xpub, { fingerprint: 0, path: [] }]];
    const mainnetKeys = RawPSBTV0.encode(raw);
    expect(refusalOf(mainnetKeys)).toBe("network_mismatch");
    expect(refusalOf(mainnetKeys, { ...vault, network: "mainnet" })).toBe("accepted");
  });

  it("refuses an input spent twice", () => {
    const { psbt } = twoInTwoOut();
    const duplicated = edit(psbt, (tx) => {
      const first = tx.getInput(0);
      tx.addInput({
        txid: first.txid ?? new Uint8Array(32),
        index: first.index ?? 0,
        witnessUtxo: {
          script: hex.decode(taprootOutputScriptHex(outputKeyXOnly)),
          amount: 60_000n,
        },
      });
    });
    expect(refusalOf(duplicated)).toBe("duplicate_input");
  });
});
