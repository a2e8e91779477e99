import type { DbTransaction } from "@conclave/db/create-prisma-client";

// The last accepted TOTP time step of a user, read from its latest successful
// login in the audit chain (details.factorTimeStep). The chain is append-only, so
// a replayed code cannot be made to look fresh by rewriting the row. Callers hold
// the subject's session lock, which serialises concurrent logins of one user.
export async function lastFactorStep(
  tx: DbTransaction,
  userId: string,
): Promise<number | undefined> {
  const row = await tx.auditEvent.findFirst({
    where: { actorType: "USER", actorId: userId, action: "user_login", outcome: "SUCCESS" },
    orderBy: { seq: "desc" },
    select: { details: true },
  });
  const details = row?.details;
  if (details === null || typeof details !== "object" || Array.isArray(details)) return undefined;
  const step = (details as Record<string, unknown>).factorTimeStep;
  return typeof step === "number" && Number.isSafeInteger(step) ? step : undefined;
}
