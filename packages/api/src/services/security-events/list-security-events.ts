import type { ApiDependencies } from "../../context/api-dependencies";

export type SecurityEventRow = {
  id: string;
  at: Date;
  kind: string;
  severity: "INFO" | "WARN" | "CRITICAL";
  ip: string | null;
  subjectType: string | null;
  subjectId: string | null;
  /** Redacted before insert; rendered as text. */
  details: string;
};

export type SecurityEventPage = { items: SecurityEventRow[]; nextBefore: string | null };

export async function listSecurityEvents(
  deps: Pick<ApiDependencies, "prisma">,
  filter: { kind?: string; severity?: SecurityEventRow["severity"]; before?: Date; limit: number },
): Promise<SecurityEventPage> {
  const rows = await deps.prisma.securityEvent.findMany({
    where: {
      ...(filter.kind === undefined ? {} : { kind: filter.kind }),
      ...(filter.severity === undefined ? {} : { severity: filter.severity }),
      ...(filter.before === undefined ? {} : { at: { lt: filter.before } }),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
  });
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({ ...row, details: JSON.stringify(row.details) })),
    nextBefore: rows.length > filter.limit && last ? last.at.toISOString() : null,
  };
}
