import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { CoordinationOutcome } from "../coordination/coordination-transaction";
import { appendGuardianEvents } from "../events/append-guardian-events";
import { advanceKeygenRound } from "./advance-keygen-round";
import type { KeygenSubmissionResult } from "./keygen-submission-result";
import type { LoadedKeygenCeremony } from "./run-keygen-submission";

/**
 * Ends an accepted round-1 or round-2 submission: the last one in opens the next round,
 * so the reported round is the one the caller should work on now.
 */
export async function finishKeygenSubmission(
  tx: DbTransaction,
  deps: ApiDependencies,
  { vault, ceremony, members }: LoadedKeygenCeremony,
  round: 1 | 2,
  roundComplete: boolean,
  now: Date,
): Promise<CoordinationOutcome<KeygenSubmissionResult>> {
  const nextRound = round === 1 ? 2 : 3;
  const events = roundComplete
    ? await advanceKeygenRound(tx, deps, vault.id, ceremony, members, nextRound, now)
    : [];
  const notices = await appendGuardianEvents(tx, now, events);
  return {
    result: {
      ceremonyId: ceremony.id,
      round: roundComplete ? nextRound : round,
      status: "OPEN",
      duplicate: false,
    },
    notices,
  };
}
