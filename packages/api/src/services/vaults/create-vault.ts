import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { InvalidRequestError } from "../../errors/invalid-request-error";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import type { VaultDetail } from "./vault-detail-view";
import { loadVaultDetail } from "./vault-detail-view";

export const maxGuardians = 15;

export type CreateVaultInput = {
  name: string;
  chain: "bitcoin" | "ethereum";
  network: string;
  threshold: number;
  guardianCount: number;
};

/** A new vault starts as DRAFT; its first invitation moves it to INVITING. */
export async function createVault(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor & { createdById: string },
  input: CreateVaultInput,
): Promise<VaultDetail> {
  const { threshold, guardianCount } = input;
  if (
    !Number.isInteger(threshold) ||
    !Number.isInteger(guardianCount) ||
    threshold < 2 ||
    threshold > guardianCount ||
    guardianCount > maxGuardians
  ) {
    throw new InvalidRequestError("threshold_out_of_range", "Need 2 <= t <= n <= 15");
  }
  return deps.prisma.$transaction(async (tx) => {
    const vault = await tx.vault.create({
      data: {
        name: input.name,
        chain: input.chain,
        network: input.network,
        threshold,
        guardianCount,
        status: "DRAFT",
        createdById: actor.createdById,
      },
    });
    await recordAudit(tx, meta, {
      actor,
      action: "vault.create",
      outcome: "SUCCESS",
      target: { type: "vault", id: vault.id },
      details: {
        name: input.name,
        chain: input.chain,
        network: input.network,
        threshold,
        guardianCount,
      },
    });
    return loadVaultDetail(tx, vault.id);
  });
}
