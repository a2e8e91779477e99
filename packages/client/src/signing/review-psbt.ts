import { decodeVaultPsbt, type PsbtSummary } from "@conclave/bitcoin/decode-vault-psbt";
import { psbtApprovalDigest } from "@conclave/bitcoin/psbt-approval-digest";
import { PsbtRefusal } from "@conclave/bitcoin/psbt-refusal";
import { bitcoinNetworkSchema } from "@conclave/validators/chain-schema";

export class PsbtMismatchError extends Error {
  override readonly name = "PsbtMismatchError";
}

// The guardian checks fidelity, not the server's fee policy: the fee and rate it shows
// were decoded here, and a human approves them.
const anyFee = { maxFeeSats: 2n ** 63n, minFeeRate: 0, maxFeeRate: Number.MAX_SAFE_INTEGER };

/** JSON with object keys sorted, so two equal values print alike whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * Decodes the PSBT on this device, for the vault key of this device's own key package,
 * and refuses (PsbtMismatchError) unless the server's summary, sighashes, digest and
 * amount are exactly what it decodes. Returns what this device decoded.
 */
export function reviewPsbt(
  served: {
    network: string;
    amount: string;
    digest: string;
    bitcoin: { psbt: string; summary: PsbtSummary; sighashes: string[] };
  },
  groupPublicKeyXOnly: string,
): { summary: PsbtSummary; sighashes: string[] } {
  const network = bitcoinNetworkSchema.safeParse(served.network);
  if (!network.success) throw new PsbtMismatchError("REFUSED: a PSBT on a non-bitcoin network");
  let own: ReturnType<typeof decodeVaultPsbt>;
  try {
    own = decodeVaultPsbt(
      new Uint8Array(Buffer.from(served.bitcoin.psbt, "base64")),
      { outputKeyXOnly: groupPublicKeyXOnly, network: network.data },
      anyFee,
    );
  } catch (error) {
    if (!(error instanceof PsbtRefusal)) throw error;
    throw new PsbtMismatchError(`REFUSED: this device refuses the PSBT (${error.message})`);
  }
  if (canonical(own.summary) !== canonical(served.bitcoin.summary))
    throw new PsbtMismatchError(
      "REFUSED: the server's summary differs from the PSBT decoded on this device; not signing",
    );
  if (
    canonical(own.sighashes) !== canonical(served.bitcoin.sighashes) ||
    psbtApprovalDigest(own.sighashes) !== served.digest ||
    own.summary.sent !== served.amount
  )
    throw new PsbtMismatchError(
      "REFUSED: the server's sighashes differ from those computed on this device; not signing",
    );
  return own;
}
