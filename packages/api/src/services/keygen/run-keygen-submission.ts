import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { CoordinationOutcome } from "../coordination/coordination-transaction";
import { runIdempotentSubmission } from "../coordination/run-idempotent-submission";
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

/** A keygen round submission: the idempotent template on the caller's open ceremony. */
export async function runKeygenSubmission<TExisting>(
  deps: ApiDependencies,
  guardianId: string,
  ids: { vaultId: string; ceremonyId: string },
  submission: KeygenRoundSubmission<TExisting>,
): Promise<KeygenSubmissionResult> {
  return runIdempotentSubmission(deps, {
    load: (tx) => loadCeremonyForGuardian(tx, ids.vaultId, ids.ceremonyId, guardianId),
    findExisting: submission.findExisting,
    matchesExisting: submission.matchesExisting,
    conflict: submission.conflict,
    answerDuplicate: (_existing, { ceremony }) => ({
      ceremonyId: ceremony.id,
      round: ceremony.round,
      status: ceremony.status,
      duplicate: true,
    }),
    accept: (tx, loaded, now) => {
      assertRoundOpen(loaded.ceremony, submission.round, now);
      return submission.accept(tx, loaded, now);
    },
  });
}
