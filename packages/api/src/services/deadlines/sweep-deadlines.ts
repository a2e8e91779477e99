import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import { systemActor, systemMeta } from "../audit/record-audit";
import { runCoordination } from "../coordination/coordination-transaction";
import { lockTransaction, lockVault } from "../coordination/lock-rows";
import { listVaultMembers } from "../coordination/vault-members";
import { failKeygenCeremony } from "../keygen/fail-keygen-ceremony";
import { appendGuardianEvents } from "../events/append-guardian-events";
import { finishTransaction } from "../transactions/finish-transaction";

export type SweepResult = { keygenRoundsExpired: number; transactionsExpired: number };

const batch = 100;

/**
 * Enforces every persisted deadline that has passed at `now`: an open DKG round
 * expires its ceremony (and a fresh attempt opens while attempts remain); a signing
 * round or a transaction past its deadline makes the transaction EXPIRED. Each item
 * is its own transaction, re-checked under its row lock, so several instances may
 * sweep at once. The ws-server runs this on an interval; tests call it with a moved
 * clock.
 */
export async function sweepDeadlines(deps: ApiDependencies, now: Date): Promise<SweepResult> {
  const result: SweepResult = { keygenRoundsExpired: 0, transactionsExpired: 0 };

  const ceremonies = await deps.prisma.dkgCeremony.findMany({
    where: { status: "OPEN", roundDeadline: { lt: now } },
    orderBy: { roundDeadline: "asc" },
    take: batch,
    select: { id: true, vaultId: true },
  });
  for (const candidate of ceremonies) {
    try {
      const expired = await runCoordination(deps, async (tx) => {
        await lockVault(tx, candidate.vaultId);
        const ceremony = await tx.dkgCeremony.findUniqueOrThrow({ where: { id: candidate.id } });
        if (ceremony.status !== "OPEN" || ceremony.roundDeadline >= now) {
          return { result: false, notices: [] };
        }
        const vault = await tx.vault.findUniqueOrThrow({ where: { id: candidate.vaultId } });
        const members = await listVaultMembers(tx, vault.id);
        const submitted = await submittedIndexes(tx, ceremony.id, ceremony.round);
        const events = await failKeygenCeremony(
          tx,
          deps,
          systemMeta,
          systemActor,
          vault,
          members,
          ceremony,
          {
            status: "EXPIRED",
            reason: `round${ceremony.round}_deadline`,
            details: {
              missingIndexes: members
                .map((m) => m.guardianIndex)
                .filter((index) => !submitted.has(index)),
            },
          },
          now,
        );
        return { result: true, notices: await appendGuardianEvents(tx, now, events) };
      });
      if (expired) result.keygenRoundsExpired++;
    } catch (error) {
      deps.logger.error({ err: error, ceremonyId: candidate.id }, "sweep: keygen expiry failed");
    }
  }

  const transactions = await deps.prisma.transaction.findMany({
    where: {
      status: { in: ["PENDING", "SIGNING"] },
      OR: [
        { expiresAt: { lt: now } },
        {
          attempts: {
            some: { status: { in: ["COMMITTING", "SIGNING"] }, roundDeadline: { lt: now } },
          },
        },
      ],
    },
    orderBy: { expiresAt: "asc" },
    take: batch,
    select: { id: true },
  });
  for (const candidate of transactions) {
    try {
      const expired = await runCoordination(deps, async (tx) => {
        await lockTransaction(tx, candidate.id);
        const transaction = await tx.transaction.findUniqueOrThrow({
          where: { id: candidate.id },
          include: { attempts: { where: { status: { in: ["COMMITTING", "SIGNING"] } } } },
        });
        if (transaction.status !== "PENDING" && transaction.status !== "SIGNING") {
          return { result: false, notices: [] };
        }
        const transactionDeadline = transaction.expiresAt < now;
        const roundDeadline = transaction.attempts.some((a) => a.roundDeadline < now);
        if (!transactionDeadline && !roundDeadline) return { result: false, notices: [] };
        const members = await listVaultMembers(tx, transaction.vaultId);
        const events = await finishTransaction(
          tx,
          systemMeta,
          systemActor,
          transaction,
          members,
          {
            status: "EXPIRED",
            reason: transactionDeadline ? "transaction_deadline" : "round_deadline",
          },
          now,
        );
        return { result: true, notices: await appendGuardianEvents(tx, now, events) };
      });
      if (expired) result.transactionsExpired++;
    } catch (error) {
      deps.logger.error(
        { err: error, transactionId: candidate.id },
        "sweep: transaction expiry failed",
      );
    }
  }
  return result;
}

async function submittedIndexes(
  tx: DbTransaction,
  ceremonyId: string,
  round: number,
): Promise<Set<number>> {
  if (round === 1) {
    const rows = await tx.dkgRound1Submission.findMany({
      where: { ceremonyId },
      select: { guardianIndex: true },
    });
    return new Set(rows.map((r) => r.guardianIndex));
  }
  if (round === 2) {
    const rows = await tx.dkgRound2Envelope.findMany({
      where: { ceremonyId },
      select: { senderIndex: true },
    });
    return new Set(rows.map((r) => r.senderIndex));
  }
  const rows = await tx.dkgRound3Report.findMany({
    where: { ceremonyId },
    select: { guardianIndex: true },
  });
  return new Set(rows.map((r) => r.guardianIndex));
}
