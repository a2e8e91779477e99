import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { GuardianEventNotice } from "../../events/guardian-event-bus";

// Coordination writes serialise on a vault or transaction row and on the audit chain;
// under many concurrent ceremonies the default 5 s interactive timeout is too tight.
const transactionOptions = { maxWait: 10_000, timeout: 20_000 } as const;

export type CoordinationOutcome<T> = { result: T; notices: GuardianEventNotice[] };

/** Runs `fn` in one database transaction, then publishes its event notices. */
export async function runCoordination<T>(
  deps: ApiDependencies,
  fn: (tx: DbTransaction) => Promise<CoordinationOutcome<T>>,
): Promise<T> {
  const outcome = await deps.prisma.$transaction(fn, transactionOptions);
  deps.guardianEvents.publish(outcome.notices);
  return outcome.result;
}
