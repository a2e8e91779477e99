import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { SubjectType } from "../../rbac/principal";

// Serialises session creation per subject for the rest of the transaction, so two
// concurrent logins cannot both see two live sessions and leave four.
export async function lockSubjectSessions(
  tx: DbTransaction,
  subjectType: SubjectType,
  subjectId: string,
): Promise<void> {
  const key = `session:${subjectType}:${subjectId}`;
  await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))) AS l`;
}
