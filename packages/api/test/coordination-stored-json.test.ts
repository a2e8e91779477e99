import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonColumnError } from "../src/services/coordination/json-column-error";
import type { AdminCaller, TestGuardian } from "./support/coordination-harness";
import {
  createAdmin,
  runKeygen,
  testnetDestination,
  trpcRefusal,
  vaultWithGuardians,
} from "./support/coordination-harness";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

describe("coordination: stored JSON is parsed, resubmissions answer as before", () => {
  let api: TestApi;
  let admin: { id: string; caller: AdminCaller };

  beforeAll(async () => {
    api = await createTestApi();
    admin = await createAdmin(api);
  });
  afterAll(async () => api.close());

  async function signingTransaction(name: string) {
    const { vaultId, guardians } = await vaultWithGuardians(api, admin, 2, 3, name);
    await runKeygen(guardians);
    const [g1, g2] = guardians as [TestGuardian, TestGuardian, TestGuardian];
    const created = await admin.caller.admin.transactions.create({
      vaultId,
      fields: {
        chain: "bitcoin",
        network: "testnet",
        destination: testnetDestination,
        amount: "125000",
        memo: "rent",
      },
    });
    await g1.approve(created.id, 1);
    await g2.approve(created.id, 1);
    return { transactionId: created.id, g1, g2 };
  }

  it("a rejected share sent again is refused (its sender is excluded) and names the sender once", async () => {
    const { transactionId, g2 } = await signingTransaction("Rejected twice");
    const bad = await g2.submitShare(transactionId, 1, { corrupt: true });
    const first = await trpcRefusal(bad.call());
    expect([first.code, (first.cause as { reason?: unknown }).reason]).toEqual([
      "BAD_REQUEST",
      "invalid_signature_share",
    ]);
    const again = await trpcRefusal(bad.call());
    expect([again.code, (again.cause as { reason?: unknown }).reason]).toEqual([
      "FORBIDDEN",
      "guardian_excluded",
    ]);
    expect(
      await api.prisma.securityEvent.count({
        where: { kind: "signing_share_invalid", subjectId: g2.guardianId },
      }),
    ).toBe(1);
    expect(await api.prisma.signingExclusion.count({ where: { transactionId } })).toBe(1);
  });

  it("a malformed stored signing package is an internal error naming the column, and blames no guardian", async () => {
    const { transactionId, g1 } = await signingTransaction("Corrupted package");
    const share = await g1.submitShare(transactionId, 1);
    await api.prisma.signingAttempt.update({
      where: { transactionId_attempt: { transactionId, attempt: 1 } },
      data: { signingPackage: { commitments: "not a list", message: "00" } },
    });

    const error = await trpcRefusal(share.call());
    expect(error.code).toBe("INTERNAL_SERVER_ERROR");
    expect(error.cause).toBeInstanceOf(JsonColumnError);
    expect((error.cause as JsonColumnError).column).toBe("SigningAttempt.signingPackage");
    expect((error.cause as JsonColumnError).issues.map((issue) => issue.path)).toEqual([
      "commitments",
    ]);
    // Nothing was recorded: no share, no exclusion, no security event against g1.
    expect(
      await api.prisma.signatureShareSubmission.count({ where: { guardianId: g1.guardianId } }),
    ).toBe(0);
    expect(await api.prisma.signingExclusion.count({ where: { transactionId } })).toBe(0);
    expect(
      await api.prisma.securityEvent.count({
        where: { kind: "signing_share_invalid", subjectId: g1.guardianId },
      }),
    ).toBe(0);
  });
});
