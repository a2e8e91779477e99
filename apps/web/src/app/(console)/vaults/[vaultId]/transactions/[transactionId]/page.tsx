import { requireConsoleUser } from "../../../../../../server/require-console-user";
import { TransactionDetailView } from "./transaction-detail-view";

export default async function Page({
  params,
}: {
  params: Promise<{ vaultId: string; transactionId: string }>;
}) {
  await requireConsoleUser();
  const { vaultId, transactionId } = await params;
  return <TransactionDetailView vaultId={vaultId} transactionId={transactionId} />;
}
