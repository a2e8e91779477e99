import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { NotFoundError } from "../../errors/not-found-error";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";

export async function revokeApiKey(
  deps: ApiDependencies,
  meta: RequestMeta,
  actor: AuditActor,
  input: { apiKeyId: string },
): Promise<{ id: string; revokedAt: Date }> {
  const now = deps.clock.now();
  return deps.prisma.$transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({
      where: { id: input.apiKeyId, revokedAt: null },
      data: { revokedAt: now },
    });
    if (count === 0) throw new NotFoundError("api_key_not_found");
    await recordAudit(tx, meta, {
      actor,
      action: "apikey.revoke",
      outcome: "SUCCESS",
      target: { type: "api_key", id: input.apiKeyId },
    });
    return { id: input.apiKeyId, revokedAt: now };
  });
}
