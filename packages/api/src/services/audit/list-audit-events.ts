import type { AuditActionName } from "@conclave/db/audit/audit-action";
import { toAuditActionName, toPrismaAuditAction } from "@conclave/db/audit/audit-action";
import { type TypedAuditDetails, typedAuditDetailsSchema } from "@conclave/db/audit/audit-details";
import type { ApiDependencies } from "../../context/api-dependencies";

export type AuditEventFilter = {
  action?: AuditActionName;
  actorType?: string;
  actorId?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Rows older than this seq (newest first). */
  beforeSeq?: bigint;
  limit: number;
};

export type AuditEventRow = {
  seq: string;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: AuditActionName;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  outcome: "SUCCESS" | "FAILURE" | "DENIED";
  /** Already redacted when written: the stored JSON, for rows typedDetails cannot read. */
  details: string;
  /** The details as their action's type; null for legacy or redacted-away rows. */
  typedDetails: TypedAuditDetails | null;
};

function typedDetailsOf(action: AuditActionName, details: unknown): TypedAuditDetails | null {
  const read = typedAuditDetailsSchema.safeParse({ action, details });
  return read.success ? read.data : null;
}

export type AuditEventPage = { items: AuditEventRow[]; nextBeforeSeq: string | null };

export async function listAuditEvents(
  deps: Pick<ApiDependencies, "prisma">,
  filter: AuditEventFilter,
): Promise<AuditEventPage> {
  const rows = await deps.prisma.auditEvent.findMany({
    where: {
      ...(filter.action === undefined ? {} : { action: toPrismaAuditAction(filter.action) }),
      ...(filter.actorType === undefined ? {} : { actorType: filter.actorType }),
      ...(filter.actorId === undefined ? {} : { actorId: filter.actorId }),
      ...(filter.targetType === undefined ? {} : { targetType: filter.targetType }),
      ...(filter.targetId === undefined ? {} : { targetId: filter.targetId }),
      ...(filter.from === undefined && filter.to === undefined
        ? {}
        : {
            at: {
              ...(filter.from === undefined ? {} : { gte: filter.from }),
              ...(filter.to === undefined ? {} : { lte: filter.to }),
            },
          }),
      ...(filter.beforeSeq === undefined ? {} : { seq: { lt: filter.beforeSeq } }),
    },
    orderBy: { seq: "desc" },
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => {
      const action = toAuditActionName(row.action);
      return {
        seq: row.seq.toString(),
        at: row.at,
        actorType: row.actorType,
        actorId: row.actorId,
        action,
        targetType: row.targetType,
        targetId: row.targetId,
        ip: row.ip,
        outcome: row.outcome,
        details: JSON.stringify(row.details),
        typedDetails: typedDetailsOf(action, row.details),
      };
    }),
    nextBeforeSeq: rows.length > filter.limit && last ? last.seq.toString() : null,
  };
}
