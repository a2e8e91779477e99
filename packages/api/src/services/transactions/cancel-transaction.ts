import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { NotFoundError } from "../../errors/not-found-error";
import type { AuditActor } from "../audit/record-audit";
import { runCoordination } from "../coordination/coordination-transaction";
import { lockTransaction } from "../coordination/lock-rows";
import { listVaultMembers } from "../coordination/vault-members";
import { appendGuardianEvents } from "../events/append-guardian-events";
import { finishTransaction } from "./finish-transaction";
import type { TransactionDetail } from "./transaction-detail-view";
import { loadTransactionDetail } from "./transaction-detail-view";

export async function cancelTransaction(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor,
  input: { vaultId: string; transactionId: string },
): Promise<TransactionDetail> {
  const now = deps.clock.now();
  return runCoordination(deps, async (tx) => {
    if (!(await lockTransaction(tx, input.transactionId))) {
      throw new NotFoundError("transaction_not_found");
    }
    const transaction = await tx.transaction.findUniqueOrThrow({
      where: { id: input.transactionId },
    });
    if (transaction.vaultId !== input.vaultId) throw new NotFoundError("transaction_not_found");
    if (transaction.status !== "PENDING" && transaction.status !== "SIGNING") {
      throw new ConflictError(
        "transaction_closed",
        `The transaction is already ${transaction.status}`,
      );
    }
    const members = await listVaultMembers(tx, transaction.vaultId);
    const events = await finishTransaction(
      tx,
      meta,
      actor,
      transaction,
      members,
      { status: "CANCELLED", reason: "cancelled_by_admin" },
      now,
    );
    const notices = await appendGuardianEvents(tx, now, events);
    return {
      result: await loadTransactionDetail(tx, transaction.vaultId, transaction.id),
      notices,
    };
  });
}
