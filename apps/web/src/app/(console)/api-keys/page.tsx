import { requireConsoleUser } from "../../../server/require-console-user";
import { ApiKeysView } from "./api-keys-view";

export default async function Page() {
  await requireConsoleUser();
  return <ApiKeysView />;
}
