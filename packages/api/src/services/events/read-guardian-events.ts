import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { GuardianEventType, GuardianEventView } from "./guardian-event-types";

export async function readGuardianEvents(
  prisma: PrismaClient,
  guardianId: string,
  afterId: bigint,
  limit: number,
): Promise<(GuardianEventView & { seq: bigint })[]> {
  const rows = await prisma.guardianEvent.findMany({
    where: { guardianId, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
  });
  return rows.map((row) => ({
    seq: row.id,
    id: row.id.toString(),
    type: row.type as GuardianEventType,
    vaultId: row.vaultId,
    payload: row.payload as Record<string, unknown>,
    createdAt: row.createdAt,
  }));
}
