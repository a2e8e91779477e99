import { requireConsoleUser } from "../../../server/require-console-user";
import { VaultsView } from "./vaults-view";

export default async function Page() {
  await requireConsoleUser();
  return <VaultsView />;
}
