import { requireConsoleUser } from "../../../server/require-console-user";
import { SecurityView } from "./security-view";

export default async function Page() {
  await requireConsoleUser();
  return <SecurityView />;
}
