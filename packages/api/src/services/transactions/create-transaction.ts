import { randomUUID } from "node:crypto";
import type { TransactionFields } from "@conclave/validators/transaction-fields-schema";
import { transactionDigest } from "@conclave/validators/transaction-digest";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { NotFoundError } from "../../errors/not-found-error";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import { runCoordination } from "../coordination/coordination-transaction";
import { lockVault } from "../coordination/lock-rows";
import { listVaultMembers } from "../coordination/vault-members";
import { appendGuardianEvents } from "../events/append-guardian-events";
import { openSigningAttempt } from "../signing/open-signing-attempt";
import type { TransactionDetail } from "./transaction-detail-view";
import { loadTransactionDetail } from "./transaction-detail-view";

export type CreateTransactionInput = {
  vaultId: string;
  /** Already parsed by transactionFieldsSchema: canonical address, amount and memo. */
  fields: TransactionFields;
};

/**
 * PENDING transaction on an ACTIVE vault of the same chain and network. The server
 * computes the digest (transactionDigest) over the canonical fields; guardians
 * re-derive it from the same fields before they sign.
 */
export async function createTransaction(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor & { createdById: string },
  input: CreateTransactionInput,
): Promise<TransactionDetail> {
  const now = deps.clock.now();
  return runCoordination(deps, async (tx) => {
    if (!(await lockVault(tx, input.vaultId))) throw new NotFoundError("vault_not_found");
    const vault = await tx.vault.findUniqueOrThrow({ where: { id: input.vaultId } });
    if (vault.status === "DELETED") throw new NotFoundError("vault_not_found");
    if (vault.status !== "ACTIVE") {
      throw new ConflictError("vault_not_active", "The vault is not active");
    }
    if (input.fields.chain !== vault.chain || input.fields.network !== vault.network) {
      throw new InvalidRequestError(
        "chain_mismatch",
        `This vault signs for ${vault.chain} ${vault.network}`,
      );
    }
    const id = randomUUID();
    const digest = transactionDigest({ vaultId: vault.id, transactionId: id, ...input.fields });
    const expiresAt = new Date(now.getTime() + deps.config.transactionTtlMs);
    const transaction = await tx.transaction.create({
      data: {
        id,
        vaultId: vault.id,
        chain: input.fields.chain,
        network: input.fields.network,
        destination: input.fields.destination,
        amount: input.fields.amount,
        memo: input.fields.memo,
        digest,
        maxAttempts: deps.config.maxSigningAttempts,
        createdByType: actor.actorType,
        createdByActor: actor.actorId ?? actor.createdById,
        createdById: actor.createdById,
        createdAt: now,
        expiresAt,
      },
    });
    await recordAudit(tx, meta, {
      actor,
      action: "transaction.create",
      outcome: "SUCCESS",
      target: { type: "transaction", id },
      details: {
        vaultId: vault.id,
        chain: transaction.chain,
        network: transaction.network,
        destination: transaction.destination,
        amount: transaction.amount,
        digest,
      },
    });
    const members = await listVaultMembers(tx, vault.id);
    const events = await openSigningAttempt(tx, deps, transaction, members, 1, now);
    const notices = await appendGuardianEvents(tx, now, events);
    return { result: await loadTransactionDetail(tx, vault.id, id), notices };
  });
}
