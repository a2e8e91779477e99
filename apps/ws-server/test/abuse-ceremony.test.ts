import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewTransaction } from "@conclave/client/signing/review-transaction";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import {
  closeAll,
  createAdmin,
  createBitcoinTransaction,
  enrolVault,
  keygenAll,
  loadKeyShares,
  signAll,
  type EnrolledVault,
} from "./support/guardian-ceremonies";

/** Every security event kind that means a limit, a backoff or a ban touched someone. */
const refusalKinds = [
  "rate_limit.exceeded",
  "rate_limit.backend_unavailable",
  "connection.limit_exceeded",
  "auth.backoff_refused",
  "ip.banned",
  "ip.ban_refused",
];

// The default limits, the real ws-server and five SDK clients from one address: a
// whole 3-of-5 vault life (join, DKG, two signatures, guardians re-reading what they
// sign) must never meet a limit.
describe("a 3-of-5 ceremony under the default limits", { timeout: 180_000 }, () => {
  let door: GuardianFrontDoor;
  let adminId: string;
  let vault: EnrolledVault;

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    adminId = await createAdmin(door, "limits-admin@example.test");
    vault = await enrolVault(door, adminId, { name: "Limits", threshold: 3, guardianCount: 5 });
  });
  afterAll(async () => {
    await closeAll([vault]);
    await door.close();
  });

  it("joins, runs the DKG and signs twice without a refusal", async () => {
    await keygenAll(vault);
    const keyShares = await loadKeyShares(vault);
    for (const memo of ["First payout", "Second payout"]) {
      const transaction = await createBitcoinTransaction(door, adminId, vault.vaultId, { memo });
      // A guardian looks at the request before approving it, as the CLI's review does.
      for (const { client } of vault.guardians)
        await reviewTransaction(client, vault.vaultId, transaction.id);
      const signatures = await signAll(vault, keyShares, transaction.id);
      expect(new Set(signatures).size).toBe(1);
      const stored = await door.api.deps.prisma.transaction.findUniqueOrThrow({
        where: { id: transaction.id },
      });
      expect(stored.status).toBe("COMPLETED");
    }
    await door.api.deps.abuse.events.flush();
    const refusals = await door.api.deps.prisma.securityEvent.findMany({
      where: { kind: { in: refusalKinds } },
      select: { kind: true },
    });
    expect(refusals).toEqual([]);
  });
});
