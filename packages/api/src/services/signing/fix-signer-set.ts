import type { SigningPackage } from "@conclave/frost/wire-types";
import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { recordAudit, guardianActor } from "../audit/record-audit";
import { signingPackageColumn } from "../coordination/coordination-json-columns";
import type { CoordinationOutcome } from "../coordination/coordination-transaction";
import { appendGuardianEvents } from "../events/append-guardian-events";
import type { GuardianEventInput } from "../events/guardian-event-types";
import type { SigningContext } from "./load-signing-context";
import type { SigningSubmissionResult } from "./signing-submission-result";
import { signingSubmissionResult } from "./signing-submission-result";

/**
 * The t-th commitment fixes the signer set: the attempt moves to SIGNING with a fresh
 * deadline, the signers get the signing package (its message is the server-computed
 * digest) and every other eligible guardian learns it was left out of this attempt.
 */
export async function fixSignerSet(
  tx: DbTransaction,
  deps: ApiDependencies,
  meta: RequestMeta,
  ctx: SigningContext,
  commitments: readonly { signerIndex: number; hiding: string; binding: string }[],
  now: Date,
): Promise<CoordinationOutcome<SigningSubmissionResult>> {
  const { transaction, vault, members, me, attempt } = ctx;
  const signers = commitments.map((c) => c.signerIndex);
  const signingPackage: SigningPackage = {
    commitments: commitments.map((c) => ({
      signer: c.signerIndex,
      hiding: c.hiding,
      binding: c.binding,
    })),
    message: transaction.digest,
  };
  const roundDeadline = new Date(
    Math.min(now.getTime() + deps.config.signingRoundTtlMs, transaction.expiresAt.getTime()),
  );
  await tx.signingAttempt.update({
    where: { id: attempt.id },
    data: {
      status: "SIGNING",
      signerIndexes: signers,
      signingPackage: signingPackageColumn.write(signingPackage),
      roundDeadline,
    },
  });
  await tx.transaction.update({ where: { id: transaction.id }, data: { status: "SIGNING" } });
  await recordAudit(tx, meta, {
    actor: guardianActor(me.guardianId),
    action: "signing.package",
    outcome: "SUCCESS",
    target: { type: "transaction", id: transaction.id },
    details: { attempt: attempt.attempt, signers },
  });
  const excluded = new Set(transaction.exclusions.map((e) => e.guardianId));
  const events: GuardianEventInput[] = members
    .filter((m) => !excluded.has(m.guardianId))
    .map((member) =>
      signers.includes(member.guardianIndex)
        ? {
            guardianId: member.guardianId,
            vaultId: vault.id,
            type: "signing.package_published",
            payload: {
              transactionId: transaction.id,
              attempt: attempt.attempt,
              roundDeadline: roundDeadline.toISOString(),
              signingPackage,
            },
          }
        : {
            guardianId: member.guardianId,
            vaultId: vault.id,
            type: "signing.signer_set_fixed",
            payload: { transactionId: transaction.id, attempt: attempt.attempt, signers },
          },
    );
  return {
    result: signingSubmissionResult(ctx, "SIGNING", { signers }),
    notices: await appendGuardianEvents(tx, now, events),
  };
}
