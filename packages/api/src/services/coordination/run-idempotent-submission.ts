import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import { ConflictError } from "../../errors/conflict-error";
import type { CoordinationOutcome } from "./coordination-transaction";
import { runCoordination } from "./coordination-transaction";

/** What a keygen or signing submission adds to the common duplicate/conflict template. */
export type IdempotentSubmission<TLoaded, TExisting, TResult> = {
  /** Locks the row the submission serialises on and loads what every step checks. */
  load: (tx: DbTransaction) => Promise<TLoaded>;
  /** The caller's earlier submission for the same slot, or null when there is none. */
  findExisting: (tx: DbTransaction, loaded: TLoaded) => Promise<TExisting | null>;
  matchesExisting: (existing: TExisting) => boolean;
  conflict: { reason: string; message: string };
  /** The answer to an identical resubmission: the state now, marked duplicate. */
  answerDuplicate: (existing: TExisting, loaded: TLoaded) => TResult;
  /** Checks that the round is open and records a first submission. */
  accept: (tx: DbTransaction, loaded: TLoaded, now: Date) => Promise<CoordinationOutcome<TResult>>;
};

/**
 * A guardian whose answer was lost sends the same content again: it gets an answer
 * instead of an error, and nothing is recorded twice. The duplicate check runs before
 * `accept` checks the round, so a retry after the round has moved on still gets it.
 * Different content for the same slot is a ConflictError: a submission never changes.
 */
export async function runIdempotentSubmission<TLoaded, TExisting, TResult>(
  deps: ApiDependencies,
  submission: IdempotentSubmission<TLoaded, TExisting, TResult>,
): Promise<TResult> {
  const now = deps.clock.now();
  return runCoordination<TResult>(deps, async (tx) => {
    const loaded = await submission.load(tx);
    const existing = await submission.findExisting(tx, loaded);
    if (existing === null) return submission.accept(tx, loaded, now);
    if (!submission.matchesExisting(existing)) {
      throw new ConflictError(submission.conflict.reason, submission.conflict.message);
    }
    return { result: submission.answerDuplicate(existing, loaded), notices: [] };
  });
}
