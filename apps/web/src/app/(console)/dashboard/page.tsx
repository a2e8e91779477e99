import { requireConsoleUser } from "../../../server/require-console-user";
import { DashboardView } from "./dashboard-view";

export default async function Page() {
  await requireConsoleUser();
  return <DashboardView />;
}
