import { requireConsoleUser } from "../../../server/require-console-user";
import { AuditView } from "./audit-view";

export default async function Page() {
  await requireConsoleUser();
  return <AuditView />;
}
