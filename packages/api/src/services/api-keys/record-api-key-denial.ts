import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { anonymousActor, recordAudit } from "../audit/record-audit";
import { recordSecurityEvent } from "../security-events/record-security-event";

// Audit row plus security event for a refused key. Only the public prefix and the
// key id are recorded, never the presented value.
export async function recordApiKeyDenial(
  deps: ApiDependencies,
  meta: RequestMeta,
  denial: { apiKeyId: string | null; prefix: string | null; reason: string; permission?: string },
): Promise<void> {
  const now = deps.clock.now();
  const details = {
    reason: denial.reason,
    prefix: denial.prefix,
    permission: denial.permission ?? null,
  };
  await deps.prisma.$transaction(async (tx) => {
    await recordAudit(tx, meta, {
      actor: denial.apiKeyId ? { actorType: "API_KEY", actorId: denial.apiKeyId } : anonymousActor,
      action: "apikey.use_denied",
      outcome: "DENIED",
      ...(denial.apiKeyId ? { target: { type: "api_key", id: denial.apiKeyId } } : {}),
      details,
    });
    await recordSecurityEvent(tx, now, meta, {
      kind: "api_key_denied",
      severity: "WARN",
      subjectType: denial.apiKeyId ? "API_KEY" : null,
      subjectId: denial.apiKeyId,
      details,
    });
  });
}
