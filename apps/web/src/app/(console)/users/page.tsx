import { requireConsoleUser } from "../../../server/require-console-user";
import { UsersView } from "./users-view";

export default async function Page() {
  await requireConsoleUser();
  return <UsersView />;
}
