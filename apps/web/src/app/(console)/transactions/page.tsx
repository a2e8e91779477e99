import { requireConsoleUser } from "../../../server/require-console-user";
import { TransactionsView } from "./transactions-view";

export default async function Page() {
  await requireConsoleUser();
  return <TransactionsView />;
}
