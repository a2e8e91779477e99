import { randomUUID } from "node:crypto";
import { decodeVaultPsbt } from "@conclave/bitcoin/decode-vault-psbt";
import { psbtApprovalDigest } from "@conclave/bitcoin/psbt-approval-digest";
import { PsbtRefusal } from "@conclave/bitcoin/psbt-refusal";
import { bitcoinNetworkSchema, type BitcoinNetwork } from "@conclave/validators/chain-schema";
import { taprootAddress } from "@conclave/validators/taproot-address";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConflictError } from "../../errors/conflict-error";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import { NotFoundError } from "../../errors/not-found-error";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import { psbtSummaryColumn } from "../coordination/coordination-json-columns";
import { runCoordination } from "../coordination/coordination-transaction";
import { lockVault } from "../coordination/lock-rows";
import { listVaultMembers } from "../coordination/vault-members";
import { appendGuardianEvents } from "../events/append-guardian-events";
import { openSigningAttempt } from "../signing/open-signing-attempt";
import type { TransactionDetail } from "./transaction-detail-view";
import { loadTransactionDetail } from "./transaction-detail-view";

export type ImportPsbtInput = {
  vaultId: string;
  /** The network the admin meant; it must be the vault's. */
  network: BitcoinNetwork;
  /** Base64, already checked for form and size by importPsbtInput. */
  psbt: string;
  memo: string;
};

/**
 * A Bitcoin transaction from a PSBT that spends the vault's key path. The PSBT is
 * decoded and checked (decodeVaultPsbt), stored with its summary and per-input
 * sighashes, and the signing ceremony opens over those sighashes. A refused PSBT writes
 * nothing: the refusal is thrown inside the database transaction.
 */
export async function importPsbt(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor & { createdById: string },
  input: ImportPsbtInput,
): Promise<TransactionDetail> {
  const now = deps.clock.now();
  // importPsbtInput admits canonical padded base64 only, so this decoding is exact.
  const bytes = new Uint8Array(Buffer.from(input.psbt, "base64"));
  return runCoordination(deps, async (tx) => {
    if (!(await lockVault(tx, input.vaultId))) throw new NotFoundError("vault_not_found");
    const vault = await tx.vault.findUniqueOrThrow({ where: { id: input.vaultId } });
    if (vault.status === "DELETED") throw new NotFoundError("vault_not_found");
    if (vault.status !== "ACTIVE" || vault.groupPublicKeyXOnly === null) {
      throw new ConflictError("vault_not_active", "The vault is not active");
    }
    const network = bitcoinNetworkSchema.safeParse(vault.network);
    if (vault.chain !== "bitcoin" || !network.success) {
      throw new InvalidRequestError("chain_mismatch", "Only a Bitcoin vault spends a PSBT");
    }
    if (input.network !== network.data) {
      throw new InvalidRequestError(
        "network_mismatch",
        `This vault is on bitcoin ${network.data}, not ${input.network}`,
      );
    }
    let decoded: ReturnType<typeof decodeVaultPsbt>;
    try {
      decoded = decodeVaultPsbt(
        bytes,
        { outputKeyXOnly: vault.groupPublicKeyXOnly, network: network.data },
        deps.config.bitcoinFeePolicy,
      );
    } catch (error) {
      if (!(error instanceof PsbtRefusal)) throw error;
      throw new InvalidRequestError(error.reason, `PSBT refused: ${error.message}`);
    }
    const { summary, sighashes } = decoded;
    const id = randomUUID();
    const expiresAt = new Date(now.getTime() + deps.config.transactionTtlMs);
    const transaction = await tx.transaction.create({
      data: {
        id,
        vaultId: vault.id,
        chain: vault.chain,
        network: network.data,
        // The first payee names the transaction in lists; the summary has every output.
        destination:
          summary.outputs.find((output) => !output.change)?.address ??
          taprootAddress(vault.groupPublicKeyXOnly, network.data),
        amount: summary.sent,
        memo: input.memo,
        digest: psbtApprovalDigest(sighashes),
        psbt: input.psbt,
        psbtSummary: psbtSummaryColumn.write(summary),
        sighashes,
        txid: summary.txid,
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
      action: "transaction.import",
      outcome: "SUCCESS",
      target: { type: "transaction", id },
      details: {
        vaultId: vault.id,
        network: network.data,
        txid: summary.txid,
        inputCount: summary.inputs.length,
        outputCount: summary.outputs.length,
        sent: summary.sent,
        change: summary.change,
        fee: summary.fee,
        feeRate: summary.feeRate,
      },
    });
    const members = await listVaultMembers(tx, vault.id);
    const events = await openSigningAttempt(tx, deps, transaction, members, 1, now);
    const notices = await appendGuardianEvents(tx, now, events);
    return { result: await loadTransactionDetail(tx, vault.id, id), notices };
  });
}
