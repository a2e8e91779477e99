import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import type { VaultMember } from "../coordination/vault-members";
import type { GuardianEventInput } from "../events/guardian-event-types";
import { openKeygenCeremony } from "./open-keygen-ceremony";

/**
 * Closes a ceremony that cannot finish and, while attempts remain, opens a fresh one:
 * DKG state is per attempt, so guardians start again from round 1. After the last
 * attempt the vault stays in KEYGEN until an admin disables or deletes it.
 */
export async function failKeygenCeremony(
  tx: DbTransaction,
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor,
  vault: { id: string; threshold: number; guardianCount: number },
  members: readonly VaultMember[],
  ceremony: { id: string; attempt: number; round: number },
  outcome: { status: "FAILED" | "EXPIRED"; reason: string; details?: Record<string, unknown> },
  now: Date,
): Promise<GuardianEventInput[]> {
  await tx.dkgCeremony.update({
    where: { id: ceremony.id },
    data: { status: outcome.status, closedAt: now, failureReason: outcome.reason },
  });
  await recordAudit(tx, meta, {
    actor,
    action: outcome.status === "FAILED" ? "keygen.fail" : "keygen.expire",
    outcome: "FAILURE",
    target: { type: "dkg_ceremony", id: ceremony.id },
    details: {
      vaultId: vault.id,
      round: ceremony.round,
      reason: outcome.reason,
      ...outcome.details,
    },
  });
  const retry = ceremony.attempt < deps.config.maxKeygenAttempts;
  const events: GuardianEventInput[] = members.map((member) => ({
    guardianId: member.guardianId,
    vaultId: vault.id,
    type: "keygen.failed",
    payload: {
      ceremonyId: ceremony.id,
      attempt: ceremony.attempt,
      round: ceremony.round,
      reason: outcome.reason,
      retrying: retry,
    },
  }));
  if (retry) {
    events.push(
      ...(await openKeygenCeremony(
        tx,
        deps,
        meta,
        actor,
        vault,
        members,
        ceremony.attempt + 1,
        now,
      )),
    );
  }
  return events;
}
