import type { PsbtSummary } from "@conclave/bitcoin/decode-vault-psbt";
import { transactionDigest } from "@conclave/validators/transaction-digest";
import type { GuardianClient } from "../create-guardian-client";
import { retryOnConnectionFailure } from "../session/retry-on-connection-failure";
import { formatAmount } from "./format-amount";
import { PsbtMismatchError, reviewPsbt } from "./review-psbt";

export interface TransactionReview {
  readonly vaultId: string;
  readonly transactionId: string;
  readonly chain: string;
  readonly network: string;
  readonly destination: string;
  /** Integer base units, as signed. */
  readonly amount: string;
  /** e.g. "0.0015 BTC". */
  readonly amountDisplay: string;
  readonly memo: string;
  /** Re-derived here; equal to the server's. */
  readonly digest: string;
  readonly status: string;
  readonly expiresAt: string;
  /** A PSBT, as decoded on this device; null for an approval signature. */
  readonly bitcoin: { readonly summary: PsbtSummary; readonly sighashes: string[] } | null;
  /** What is signed, in order: the PSBT's sighashes, or the one digest. */
  readonly messages: readonly string[];
}

export class DigestMismatchError extends Error {
  override readonly name = "DigestMismatchError";
  constructor() {
    super(
      "REFUSED: the server's digest differs from the one derived from the transaction fields; not signing",
    );
  }
}

/**
 * Fetches the transaction and re-derives its digest from the structured fields with the
 * shared canonical encoding. Throws DigestMismatchError (and never signs) when the
 * server's digest differs, or a validation error when a field is not canonical.
 */
export async function reviewTransaction(
  client: GuardianClient,
  vaultId: string,
  transactionId: string,
  /** This device's own vault key (from its key package): a PSBT is decoded against it. */
  groupPublicKeyXOnly?: string,
): Promise<TransactionReview> {
  const detail = await retryOnConnectionFailure(() =>
    client.api.transactions.get.query({ vaultId, transactionId }),
  );
  if (detail.vaultId !== vaultId || detail.id !== transactionId)
    throw new Error("the server answered with another transaction");
  const { bitcoin } = detail;
  if (detail.kind === "psbt" || bitcoin !== null) {
    if (bitcoin === null) throw new PsbtMismatchError("REFUSED: a PSBT without its data");
    if (groupPublicKeyXOnly === undefined)
      throw new Error("a PSBT is reviewed against this device's key share; unlock it first");
    const own = reviewPsbt({ ...detail, bitcoin }, groupPublicKeyXOnly);
    return {
      vaultId,
      transactionId,
      chain: detail.chain,
      network: detail.network,
      destination: detail.destination,
      amount: own.summary.sent,
      amountDisplay: formatAmount(detail.chain, own.summary.sent),
      memo: detail.memo,
      digest: detail.digest,
      status: detail.status,
      expiresAt: detail.expiresAt,
      bitcoin: own,
      messages: own.sighashes,
    };
  }
  let digest: string;
  try {
    digest = transactionDigest({
      vaultId,
      transactionId,
      chain: detail.chain,
      network: detail.network,
      destination: detail.destination,
      amount: detail.amount,
      memo: detail.memo,
    } as Parameters<typeof transactionDigest>[0]);
  } catch {
    throw new Error("REFUSED: the transaction fields are not canonical; not signing");
  }
  if (digest !== detail.digest) throw new DigestMismatchError();
  return {
    vaultId,
    transactionId,
    chain: detail.chain,
    network: detail.network,
    destination: detail.destination,
    amount: detail.amount,
    amountDisplay: formatAmount(detail.chain, detail.amount),
    memo: detail.memo,
    digest,
    status: detail.status,
    expiresAt: detail.expiresAt,
    bitcoin: null,
    messages: [digest],
  };
}
