import type { DbTransaction } from "@conclave/db/create-prisma-client";
import type { GuardianEventNotice } from "../../events/guardian-event-bus";
import { jsonColumn } from "../coordination/json-column";
import type { GuardianEventInput } from "./guardian-event-types";

// Held until the caller's transaction ends, so event ids become visible in id order:
// a subscriber that has read id N can never later find a smaller id committing. It is
// the audit chain's lock key (packages/db write-audit.ts): every transaction that
// writes events also writes audit rows, so sharing the one lock costs nothing and
// leaves no lock order to get wrong (a second key would deadlock against a
// transaction that takes them the other way round).
const eventLogLockKey = 0x61756474;

/**
 * Writes the events in the caller's transaction and returns the notices to publish
 * on the bus once it has committed.
 */
export async function appendGuardianEvents(
  tx: DbTransaction,
  now: Date,
  events: readonly GuardianEventInput[],
): Promise<GuardianEventNotice[]> {
  if (events.length === 0) return [];
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${eventLogLockKey})`;
  const notices: GuardianEventNotice[] = [];
  for (const event of events) {
    const row = await tx.guardianEvent.create({
      data: {
        guardianId: event.guardianId,
        vaultId: event.vaultId,
        type: event.type,
        payload: jsonColumn(event.payload),
        createdAt: now,
      },
      select: { id: true },
    });
    notices.push({ guardianId: event.guardianId, eventId: row.id });
  }
  return notices;
}
