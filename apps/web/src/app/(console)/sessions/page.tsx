import { requireConsoleUser } from "../../../server/require-console-user";
import { SessionsView } from "./sessions-view";

export default async function Page() {
  await requireConsoleUser();
  return <SessionsView />;
}
