import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import { ConflictError } from "../../errors/conflict-error";
import type { CoordinationOutcome } from "../coordination/coordination-transaction";
import { runCoordination } from "../coordination/coordination-transaction";
import type { KeygenSubmissionResult } from "./keygen-submission-result";
import { assertRoundOpen, loadCeremonyForGuardian } from "./load-open-ceremony";

export type LoadedKeygenCeremony = Awaited<ReturnType<typeof loadCeremonyForGuardian>>;

/** What one keygen round adds to the common submission flow. */
export type KeygenRoundSubmission<TExisting> = {
  round: 1 | 2 | 3;
  /** The caller's earlier submission for this round, or null when there is none. */
  findExisting: (tx: DbTransaction, loaded: LoadedKeygenCeremony) => Promise<TExisting | null>;
  matchesExisting: (existing: TExisting) => boolean;
  conflict: { reason: string; message: string };
  accept: (
    tx: DbTransaction,
    loaded: LoadedKeygenCeremony,
    now: Date,
  ) => Promise<CoordinationOutcome<KeygenSubmissionResult>>;
};

/**
 * The duplicate check runs before the round check so that a guardian retrying after
 * the round has advanced still gets an idempotent answer instead of round_not_open.
 */
export async function runKeygenSubmission<TExisting>(
  deps: ApiDependencies,
  guardianId: string,
  ids: { vaultId: string; ceremonyId: string },
  submission: KeygenRoundSubmission<TExisting>,
): Promise<KeygenSubmissionResult> {
  const now = deps.clock.now();
  return runCoordination<KeygenSubmissionResult>(deps, async (tx) => {
    const loaded = await loadCeremonyForGuardian(tx, ids.vaultId, ids.ceremonyId, guardianId);
    const { ceremony } = loaded;
    const existing = await submission.findExisting(tx, loaded);
    if (existing !== null) {
      if (!submission.matchesExisting(existing)) {
        throw new ConflictError(submission.conflict.reason, submission.conflict.message);
      }
      return {
        result: {
          ceremonyId: ceremony.id,
          round: ceremony.round,
          status: ceremony.status,
          duplicate: true,
        },
        notices: [],
      };
    }
    assertRoundOpen(ceremony, submission.round, now);
    return submission.accept(tx, loaded, now);
  });
}
