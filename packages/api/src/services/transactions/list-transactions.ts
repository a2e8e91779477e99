import type { ApiDependencies } from "../../context/api-dependencies";
import type { TransactionDetail, TransactionStatus } from "./transaction-detail-view";

export type TransactionSummary = Pick<
  TransactionDetail,
  | "id"
  | "kind"
  | "vaultId"
  | "chain"
  | "network"
  | "destination"
  | "amount"
  | "memo"
  | "digest"
  | "status"
  | "currentAttempt"
  | "createdAt"
  | "expiresAt"
>;

const summarySelect = {
  id: true,
  txid: true,
  vaultId: true,
  chain: true,
  network: true,
  destination: true,
  amount: true,
  memo: true,
  digest: true,
  status: true,
  currentAttempt: true,
  createdAt: true,
  expiresAt: true,
} as const;

/** Newest first; the vault guard has already decided who may see the vault. */
export async function listTransactions(
  deps: ApiDependencies,
  filter: { vaultId: string; status?: TransactionStatus | undefined },
): Promise<TransactionSummary[]> {
  const rows = await deps.prisma.transaction.findMany({
    where: { vaultId: filter.vaultId, ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: summarySelect,
  });
  // Only a PSBT import sets txid.
  return rows.map(({ txid, ...row }) => ({ ...row, kind: txid === null ? "approval" : "psbt" }));
}
