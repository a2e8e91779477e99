import type { PsbtSummary } from "@conclave/bitcoin/decode-vault-psbt";
import type { SigningPackage } from "@conclave/frost/wire-types";
import type { DbTransaction, PrismaClient } from "@conclave/db/create-prisma-client";
import { NotFoundError } from "../../errors/not-found-error";
import {
  psbtSummaryColumn,
  signingPackageColumn,
  signingPackagesColumn,
} from "../coordination/coordination-json-columns";

export type TransactionStatus =
  "PENDING" | "SIGNING" | "COMPLETED" | "FAILED" | "EXPIRED" | "CANCELLED";

/**
 * `approval`: a signature over Conclave's digest of the structured fields, not a chain
 * transaction. `psbt`: a Bitcoin transaction, signed per input and finalized.
 */
export type TransactionKind = "approval" | "psbt";

/** A PSBT transaction's chain data; the signed forms are set once it COMPLETED. */
export type BitcoinTransactionDetail = {
  psbt: string;
  summary: PsbtSummary;
  sighashes: string[];
  signatures: string[];
  signedPsbt: string | null;
  rawTransaction: string | null;
  txid: string;
};

export type TransactionDetail = {
  id: string;
  kind: TransactionKind;
  vaultId: string;
  chain: string;
  network: string;
  destination: string;
  amount: string;
  memo: string;
  digest: string;
  status: TransactionStatus;
  currentAttempt: number;
  maxAttempts: number;
  signature: string | null;
  failureReason: string | null;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
  cancelledAt: Date | null;
  attempts: {
    attempt: number;
    status: "COMMITTING" | "SIGNING" | "COMPLETED" | "FAILED" | "EXPIRED" | "CANCELLED";
    signerIndexes: number[];
    signingPackage: SigningPackage | null;
    /** One per message: the digest's alone, or one per PSBT input. */
    signingPackages: SigningPackage[];
    committed: number[];
    shares: { signerIndex: number; valid: boolean }[];
    roundDeadline: Date;
    failureReason: string | null;
    createdAt: Date;
    closedAt: Date | null;
  }[];
  /** Guardians named for a bad signature share, excluded from this transaction. */
  excluded: { guardianId: string; signerIndex: number; attempt: number; reason: string }[];
  bitcoin: BitcoinTransactionDetail | null;
};

export const transactionDetailInclude = {
  attempts: {
    orderBy: { attempt: "asc" },
    include: {
      commitments: { select: { signerIndex: true }, orderBy: { signerIndex: "asc" } },
      shares: { select: { signerIndex: true, valid: true }, orderBy: { signerIndex: "asc" } },
    },
  },
  exclusions: { orderBy: { createdAt: "asc" } },
} as const;

export async function loadTransactionDetail(
  db: PrismaClient | DbTransaction,
  vaultId: string,
  transactionId: string,
): Promise<TransactionDetail> {
  const row = await db.transaction.findUnique({
    where: { id: transactionId },
    include: transactionDetailInclude,
  });
  if (row?.vaultId !== vaultId) throw new NotFoundError("transaction_not_found");
  return {
    id: row.id,
    kind: row.psbt === null ? "approval" : "psbt",
    vaultId: row.vaultId,
    chain: row.chain,
    network: row.network,
    destination: row.destination,
    amount: row.amount,
    memo: row.memo,
    digest: row.digest,
    status: row.status,
    currentAttempt: row.currentAttempt,
    maxAttempts: row.maxAttempts,
    signature: row.signature,
    failureReason: row.failureReason,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    completedAt: row.completedAt,
    cancelledAt: row.cancelledAt,
    attempts: row.attempts.map((a) => {
      const signingPackage = signingPackageColumn.readNullable(a.signingPackage);
      return {
        attempt: a.attempt,
        status: a.status,
        signerIndexes: a.signerIndexes,
        signingPackage,
        signingPackages:
          signingPackagesColumn.readNullable(a.signingPackages) ??
          (signingPackage === null ? [] : [signingPackage]),
        committed: a.commitments.map((c) => c.signerIndex),
        shares: a.shares,
        roundDeadline: a.roundDeadline,
        failureReason: a.failureReason,
        createdAt: a.createdAt,
        closedAt: a.closedAt,
      };
    }),
    excluded: row.exclusions.map((e) => ({
      guardianId: e.guardianId,
      signerIndex: e.signerIndex,
      attempt: e.attempt,
      reason: e.reason,
    })),
    bitcoin:
      row.psbt === null
        ? null
        : {
            psbt: row.psbt,
            summary: psbtSummaryColumn.read(row.psbtSummary),
            sighashes: row.sighashes,
            signatures: row.signatures,
            signedPsbt: row.signedPsbt,
            rawTransaction: row.rawTransaction,
            txid: row.txid ?? "",
          },
  };
}
