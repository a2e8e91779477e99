import type { DbTransaction, PrismaClient } from "@conclave/db/create-prisma-client";
import { redactDeep } from "@conclave/logger/redact";
import type { RequestMeta } from "../../context/request-facts";
import { countSecurityEvent } from "../../metrics/domain-metrics";

export type SecurityEventInput = {
  kind: string;
  severity: "INFO" | "WARN" | "CRITICAL";
  subjectType?: string | null;
  subjectId?: string | null;
  details?: Record<string, unknown>;
};

// Denials and suspicious activity. Details pass through the same deep redaction as
// logs, as a second line behind callers that never put secrets there.
export async function recordSecurityEvent(
  db: PrismaClient | DbTransaction,
  at: Date,
  meta: RequestMeta,
  event: SecurityEventInput,
): Promise<void> {
  await db.securityEvent.create({
    data: {
      at,
      kind: event.kind,
      severity: event.severity,
      ip: meta.ip,
      subjectType: event.subjectType ?? null,
      subjectId: event.subjectId ?? null,
      details: redactDeep({ requestId: meta.requestId, ...event.details }) as object,
    },
  });
  countSecurityEvent(event.kind, event.severity);
}
