import type { SigningPackage } from "@conclave/frost/wire-types";
import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { recordAudit, guardianActor } from "../audit/record-audit";
import {
  signingPackageColumn,
  signingPackagesColumn,
} from "../coordination/coordination-json-columns";
import type { CoordinationOutcome } from "../coordination/coordination-transaction";
import { appendGuardianEvents } from "../events/append-guardian-events";
import type { GuardianEventInput } from "../events/guardian-event-types";
import type { SigningContext } from "./load-signing-context";
import { signingMessages } from "./signing-messages";
import type { SigningSubmissionResult } from "./signing-submission-result";
import { signingSubmissionResult } from "./signing-submission-result";

/**
 * The t-th commitment fixes the signer set: the attempt moves to SIGNING with a fresh
 * deadline, the signers get the signing packages (one per message: the server-computed
 * digest, or each PSBT input's sighash) and every other eligible guardian learns it was
 * left out of this attempt.
 */
export async function fixSignerSet(
  tx: DbTransaction,
  deps: ApiDependencies,
  meta: RequestMeta,
  ctx: SigningContext,
  commitments: readonly {
    signerIndex: number;
    hiding: string;
    binding: string;
    inputs: readonly { hiding: string; binding: string }[];
  }[],
  now: Date,
): Promise<CoordinationOutcome<SigningSubmissionResult>> {
  const { transaction, vault, members, me, attempt } = ctx;
  const signers = commitments.map((c) => c.signerIndex);
  // One package per message: the k-th pair of every signer with the k-th message.
  const signingPackages: SigningPackage[] = signingMessages(transaction).map((message, k) => ({
    commitments: commitments.map((c) => {
      const pair = k === 0 ? c : c.inputs[k - 1];
      if (pair === undefined) throw new Error(`signer ${c.signerIndex} has no commitment ${k}`);
      return { signer: c.signerIndex, hiding: pair.hiding, binding: pair.binding };
    }),
    message,
  }));
  const [signingPackage] = signingPackages;
  if (signingPackage === undefined) throw new Error("a transaction signs at least one message");
  const perInput = transaction.sighashes.length > 0;
  const roundDeadline = new Date(
    Math.min(now.getTime() + deps.config.signingRoundTtlMs, transaction.expiresAt.getTime()),
  );
  await tx.signingAttempt.update({
    where: { id: attempt.id },
    data: {
      status: "SIGNING",
      signerIndexes: signers,
      signingPackage: signingPackageColumn.write(signingPackage),
      ...(perInput ? { signingPackages: signingPackagesColumn.write(signingPackages) } : {}),
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
              ...(perInput ? { signingPackages } : {}),
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
