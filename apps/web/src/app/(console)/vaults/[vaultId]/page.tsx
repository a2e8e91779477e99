import { requireConsoleUser } from "../../../../server/require-console-user";
import { VaultDetailView } from "./vault-detail-view";

export default async function Page({ params }: { params: Promise<{ vaultId: string }> }) {
  await requireConsoleUser();
  const { vaultId } = await params;
  return <VaultDetailView vaultId={vaultId} />;
}
