import { requireConsoleUser } from "../../../server/require-console-user";
import { BansView } from "./bans-view";

export default async function Page() {
  await requireConsoleUser();
  return <BansView />;
}
