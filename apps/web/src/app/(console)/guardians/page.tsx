import { requireConsoleUser } from "../../../server/require-console-user";
import { GuardiansView } from "./guardians-view";

export default async function Page() {
  await requireConsoleUser();
  return <GuardiansView />;
}
