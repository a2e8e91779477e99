import { FrostInputError } from "@conclave/frost/errors";
import { derivePublicKeyPackage, samePublicKeyPackage } from "@conclave/frost/public-key-package";
import type { PublicKeyPackage } from "@conclave/frost/wire-types";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { recordAudit, guardianActor } from "../audit/record-audit";
import {
  dkgRound1PackageColumn,
  dkgRound3PublicKeyPackageColumn,
  vaultPublicKeyPackageColumn,
} from "../coordination/coordination-json-columns";
import { appendGuardianEvents } from "../events/append-guardian-events";
import type { GuardianEventInput } from "../events/guardian-event-types";
import { recordSecurityEvent } from "../security-events/record-security-event";
import { failKeygenCeremony } from "./fail-keygen-ceremony";
import type { KeygenSubmissionResult } from "./keygen-submission-result";
import { runKeygenSubmission } from "./run-keygen-submission";

export type SubmitDkgRound3Input = {
  vaultId: string;
  ceremonyId: string;
  /** What the guardian's own dkgRound3 produced: group key and every verifying share. */
  publicKeyPackage: PublicKeyPackage;
};

/**
 * Round 3: every guardian reports its view of the outcome. Once all have, the server
 * derives the outcome itself from the n round-1 packages and activates the vault only
 * if every report equals it; otherwise the ceremony fails naming the dissenters.
 */
export async function submitDkgRound3(
  deps: ApiDependencies,
  meta: RequestMeta,
  guardianId: string,
  input: SubmitDkgRound3Input,
): Promise<KeygenSubmissionResult> {
  return runKeygenSubmission(deps, guardianId, input, {
    round: 3,
    findExisting: (tx, { ceremony, me }) =>
      tx.dkgRound3Report.findUnique({
        where: {
          ceremonyId_guardianIndex: { ceremonyId: ceremony.id, guardianIndex: me.guardianIndex },
        },
      }),
    matchesExisting: (existing) =>
      samePublicKeyPackage(
        dkgRound3PublicKeyPackageColumn.read(existing.publicKeyPackage),
        input.publicKeyPackage,
      ),
    conflict: {
      reason: "round3_conflict",
      message: "A different round-3 report was already submitted",
    },
    accept: async (tx, { vault, ceremony, members, me }, now) => {
      await tx.dkgRound3Report.create({
        data: {
          ceremonyId: ceremony.id,
          guardianIndex: me.guardianIndex,
          publicKeyPackage: dkgRound3PublicKeyPackageColumn.write(input.publicKeyPackage),
          createdAt: now,
        },
      });
      await recordAudit(tx, meta, {
        actor: guardianActor(guardianId),
        action: "keygen.round3",
        outcome: "SUCCESS",
        target: { type: "dkg_ceremony", id: ceremony.id },
        details: {
          vaultId: vault.id,
          guardianIndex: me.guardianIndex,
          groupPublicKeyXOnly: input.publicKeyPackage.groupPublicKeyXOnly,
        },
      });
      const reports = await tx.dkgRound3Report.findMany({ where: { ceremonyId: ceremony.id } });
      if (reports.length < vault.guardianCount) {
        return {
          result: { ceremonyId: ceremony.id, round: 3, status: "OPEN", duplicate: false },
          notices: [],
        };
      }

      const round1 = await tx.dkgRound1Submission.findMany({
        where: { ceremonyId: ceremony.id },
        orderBy: { guardianIndex: "asc" },
      });
      let derived: PublicKeyPackage | null = null;
      try {
        derived = derivePublicKeyPackage(
          round1.map((s) => dkgRound1PackageColumn.read(s.package)),
          { threshold: vault.threshold, participants: vault.guardianCount },
        );
      } catch (error) {
        if (!(error instanceof FrostInputError)) throw error;
      }
      const dissenters = reports
        .filter(
          (r) =>
            derived === null ||
            !samePublicKeyPackage(
              dkgRound3PublicKeyPackageColumn.read(r.publicKeyPackage),
              derived,
            ),
        )
        .map((r) => r.guardianIndex)
        .sort((a, b) => a - b);

      let events: GuardianEventInput[];
      let status: KeygenSubmissionResult["status"];
      if (derived !== null && dissenters.length === 0) {
        status = "COMPLETED";
        await tx.vault.update({
          where: { id: vault.id },
          data: {
            status: "ACTIVE",
            activatedAt: now,
            groupPublicKey: derived.groupPublicKey,
            groupPublicKeyXOnly: derived.groupPublicKeyXOnly,
            publicKeyPackage: vaultPublicKeyPackageColumn.write(derived),
          },
        });
        await tx.dkgCeremony.update({
          where: { id: ceremony.id },
          data: { status: "COMPLETED", closedAt: now },
        });
        await recordAudit(tx, meta, {
          actor: guardianActor(guardianId),
          action: "vault.activate",
          outcome: "SUCCESS",
          target: { type: "vault", id: vault.id },
          details: { ceremonyId: ceremony.id, groupPublicKeyXOnly: derived.groupPublicKeyXOnly },
        });
        events = members.map((member) => ({
          guardianId: member.guardianId,
          vaultId: vault.id,
          type: "keygen.completed" as const,
          payload: {
            ceremonyId: ceremony.id,
            groupPublicKey: derived.groupPublicKey,
            groupPublicKeyXOnly: derived.groupPublicKeyXOnly,
          },
        }));
      } else {
        status = "FAILED";
        const named = members.filter((m) => dissenters.includes(m.guardianIndex));
        await recordSecurityEvent(tx, now, meta, {
          kind: "keygen_report_mismatch",
          severity: "CRITICAL",
          details: {
            vaultId: vault.id,
            ceremonyId: ceremony.id,
            guardians: named.map((m) => ({
              guardianId: m.guardianId,
              guardianIndex: m.guardianIndex,
            })),
          },
        });
        events = await failKeygenCeremony(
          tx,
          deps,
          meta,
          guardianActor(guardianId),
          vault,
          members,
          ceremony,
          {
            status: "FAILED",
            reason: derived === null ? "derivation_failed" : "report_mismatch",
            details: { dissenterIndexes: dissenters },
          },
          now,
        );
      }
      const notices = await appendGuardianEvents(tx, now, events);
      return { result: { ceremonyId: ceremony.id, round: 3, status, duplicate: false }, notices };
    },
  });
}
