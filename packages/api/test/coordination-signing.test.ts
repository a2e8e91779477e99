import { dkgRound1 } from "@conclave/frost/dkg";
import { schnorr } from "@noble/curves/secp256k1.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

async function rejection(promise: Promise<unknown>): Promise<{ code: string; reason: unknown }> {
  const error = await trpcRefusal(promise);
  const cause = error.cause as { reason?: unknown } | undefined;
  return { code: error.code, reason: cause?.reason };
}

describe("coordination: DKG and FROST signing through the procedures", () => {
  let api: TestApi;
  let admin: { id: string; caller: AdminCaller };

  beforeAll(async () => {
    api = await createTestApi();
    admin = await createAdmin(api);
  });
  afterAll(async () => api.close());

  async function activeVault(t: number, n: number, name?: string) {
    const { vaultId, guardians } = await vaultWithGuardians(api, admin, t, n, name);
    await runKeygen(guardians);
    return { vaultId, guardians };
  }

  async function newTransaction(vaultId: string) {
    return admin.caller.admin.transactions.create({
      vaultId,
      fields: {
        chain: "bitcoin",
        network: "testnet",
        destination: testnetDestination,
        amount: "125000",
        memo: "rent",
      },
    });
  }

  async function signWith(signers: TestGuardian[], transactionId: string, attempt: number) {
    for (const g of signers) await g.approve(transactionId, attempt);
    for (const g of signers) await (await g.submitShare(transactionId, attempt)).call();
  }

  for (const [t, n] of [
    [2, 3],
    [3, 5],
  ] as const) {
    it(`DKG ${t}-of-${n} gives one group key and a signature a plain BIP340 verifier accepts`, async () => {
      const { vaultId, guardians } = await activeVault(t, n, `Vault ${t}of${n}`);
      const detail = await admin.caller.admin.vaults.detail({ vaultId });
      expect(detail.status).toBe("ACTIVE");
      expect(detail.members.map((m) => m.guardianIndex)).toEqual(
        Array.from({ length: n }, (_, i) => i + 1),
      );
      const keys = new Set(guardians.map((g) => g.publicKeyPackage?.groupPublicKeyXOnly));
      expect(keys.size).toBe(1);
      expect([...keys][0]).toBe(detail.groupPublicKeyXOnly);

      const created = await newTransaction(vaultId);
      expect(created.status).toBe("PENDING");
      await signWith(guardians.slice(n - t), created.id, 1);
      const done = await admin.caller.admin.transactions.get({
        vaultId,
        transactionId: created.id,
      });
      expect(done.status).toBe("COMPLETED");
      expect(done.attempts[0]?.signerIndexes).toEqual(
        Array.from({ length: t }, (_, i) => n - t + i + 1),
      );
      const signature = done.signature ?? "";
      expect(
        schnorr.verify(
          Buffer.from(signature, "hex"),
          Buffer.from(done.digest, "hex"),
          Buffer.from(detail.groupPublicKeyXOnly ?? "", "hex"),
        ),
      ).toBe(true);
      const flipped = signature.slice(0, -1) + (signature.endsWith("0") ? "1" : "0");
      expect(
        schnorr.verify(
          Buffer.from(flipped, "hex"),
          Buffer.from(done.digest, "hex"),
          Buffer.from(detail.groupPublicKeyXOnly ?? "", "hex"),
        ),
      ).toBe(false);
    });
  }

  it("a corrupted share is named and excluded, and the transaction completes with another signer set", async () => {
    const { vaultId, guardians } = await activeVault(2, 3, "Cheat test");
    const [g1, g2, g3] = guardians as [TestGuardian, TestGuardian, TestGuardian];
    const created = await newTransaction(vaultId);
    await g1.approve(created.id, 1);
    await g2.approve(created.id, 1);
    await (await g1.submitShare(created.id, 1)).call();
    const cheat = await rejection((await g2.submitShare(created.id, 1, { corrupt: true })).call());
    expect(cheat).toEqual({ code: "BAD_REQUEST", reason: "invalid_signature_share" });

    const afterCheat = await admin.caller.admin.transactions.get({
      vaultId,
      transactionId: created.id,
    });
    expect(afterCheat.currentAttempt).toBe(2);
    expect(afterCheat.excluded).toEqual([
      { guardianId: g2.guardianId, signerIndex: 2, attempt: 1, reason: "invalid_signature_share" },
    ]);
    expect(afterCheat.attempts[0]?.status).toBe("FAILED");
    const security = await api.prisma.securityEvent.findMany({
      where: { kind: "signing_share_invalid", subjectId: g2.guardianId },
    });
    expect(security).toHaveLength(1);
    const audit = await api.prisma.auditEvent.findMany({
      where: { action: "signing_cheater", targetId: created.id },
    });
    expect(audit).toHaveLength(1);
    expect((audit[0]?.details as { guardianId?: string }).guardianId).toBe(g2.guardianId);

    // The excluded guardian cannot take part again.
    expect(await rejection(g2.approve(created.id, 2))).toEqual({
      code: "FORBIDDEN",
      reason: "guardian_excluded",
    });
    await signWith([g1, g3], created.id, 2);
    const done = await admin.caller.admin.transactions.get({ vaultId, transactionId: created.id });
    expect(done.status).toBe("COMPLETED");
    expect(done.attempts.map((a) => a.status)).toEqual(["FAILED", "COMPLETED"]);
    expect(done.attempts[1]?.signerIndexes).toEqual([1, 3]);
  });

  it("with no honest spare guardian left the transaction fails", async () => {
    const { vaultId, guardians } = await activeVault(2, 2, "No spare");
    const [g1, g2] = guardians as [TestGuardian, TestGuardian];
    const created = await newTransaction(vaultId);
    await g1.approve(created.id, 1);
    await g2.approve(created.id, 1);
    await rejection((await g1.submitShare(created.id, 1, { corrupt: true })).call());
    const done = await admin.caller.admin.transactions.get({ vaultId, transactionId: created.id });
    expect(done.status).toBe("FAILED");
    expect(done.failureReason).toBe("not_enough_honest_guardians");
  });

  it("commitments: idempotent resubmission, CONFLICT for other content, replay and stale attempt refused", async () => {
    const { vaultId, guardians } = await activeVault(2, 3, "Replay test");
    const [g1, g2, g3] = guardians as [TestGuardian, TestGuardian, TestGuardian];
    const first = await newTransaction(vaultId);
    const { input } = await g1.approve(first.id, 1);
    const again = await g1.caller.signing.commit(input);
    expect(again.duplicate).toBe(true);
    expect(
      await rejection(
        g1.caller.signing.commit({ ...input, hiding: input.binding, binding: input.hiding }),
      ),
    ).toEqual({ code: "CONFLICT", reason: "commitment_conflict" });

    // The same commitment replayed by the same guardian into another transaction.
    const second = await newTransaction(vaultId);
    expect(
      await rejection(g1.caller.signing.commit({ ...input, transactionId: second.id })),
    ).toEqual({
      code: "CONFLICT",
      reason: "commitment_replayed",
    });
    expect(
      await rejection(g1.caller.signing.commit({ ...input, transactionId: second.id, attempt: 2 })),
    ).toEqual({
      code: "CONFLICT",
      reason: "stale_attempt",
    });
    const denials = await api.prisma.securityEvent.findMany({
      where: { kind: "coordination_denied", subjectId: g1.guardianId },
    });
    expect(denials.map((d) => (d.details as { reason: string }).reason).sort()).toEqual([
      "commitment_conflict",
      "commitment_replayed",
      "stale_attempt",
    ]);

    // After the signer set is fixed a late approval is refused.
    await g2.approve(first.id, 1);
    expect(await rejection(g3.approve(first.id, 1))).toEqual({
      code: "CONFLICT",
      reason: "signer_set_fixed",
    });

    // Shares: same content idempotent, other content CONFLICT, non-signer refused.
    const share = await g1.submitShare(first.id, 1);
    await share.call();
    expect((await g1.caller.signing.submitShare(share.input)).duplicate).toBe(true);
    expect(
      await rejection(g1.caller.signing.submitShare({ ...share.input, share: "11".repeat(32) })),
    ).toEqual({ code: "CONFLICT", reason: "share_conflict" });
    expect(
      await rejection(g3.caller.signing.submitShare({ ...share.input, share: "11".repeat(32) })),
    ).toEqual({ code: "FORBIDDEN", reason: "not_a_signer" });
  });

  it("DKG submissions: idempotent resubmission and CONFLICT for a different package", async () => {
    const { guardians } = await vaultWithGuardians(api, admin, 2, 2, "DKG idempotency");
    const [g1, g2] = guardians as [TestGuardian, TestGuardian];
    const { input } = await g1.round1();
    expect((await g1.caller.keygen.submitRound1(input)).duplicate).toBe(true);
    expect(
      await rejection(g1.caller.keygen.submitRound1({ ...input, roundPublicKey: "00".repeat(32) })),
    ).toEqual({ code: "CONFLICT", reason: "round1_conflict" });
    // Another guardian's package is refused as is, and relabelled its proof fails.
    expect(await rejection(g2.caller.keygen.submitRound1(input))).toEqual({
      code: "BAD_REQUEST",
      reason: "sender_mismatch",
    });
    const relabelled = { ...input, package: { ...input.package, sender: 2 } };
    expect(await rejection(g2.caller.keygen.submitRound1(relabelled))).toEqual({
      code: "BAD_REQUEST",
      reason: "invalid_round1_package",
    });
  });

  it("a failed identity signature on a live session forces logout", async () => {
    const { guardians } = await vaultWithGuardians(api, admin, 2, 2, "Forced logout");
    const g1 = guardians[0] as TestGuardian;
    const state = await g1.caller.keygen.state({ vaultId: g1.vaultId });
    if (!state.ceremony) throw new Error("keygen did not start");
    const { publicPackage } = dkgRound1({
      guardianIndex: state.guardianIndex,
      threshold: state.threshold,
      participants: state.participants,
    });
    const forged = {
      vaultId: g1.vaultId,
      ceremonyId: state.ceremony.id,
      package: publicPackage,
      roundPublicKey: "11".repeat(32),
      // Not made with the guardian's identity key: what a stolen access token can send.
      roundKeySignature: "ab".repeat(64),
    };
    expect(await rejection(g1.caller.keygen.submitRound1(forged))).toEqual({
      code: "BAD_REQUEST",
      reason: "invalid_round_key_signature",
    });
    const session = await api.prisma.session.findFirstOrThrow({
      where: { subjectId: g1.guardianId },
    });
    expect(session.revokeReason).toBe("suspicious_activity");
    expect(
      await api.prisma.securityEvent.count({
        where: { kind: "session.forced_logout", subjectId: g1.guardianId },
      }),
    ).toBe(1);
    expect(await rejection(g1.caller.keygen.state({ vaultId: g1.vaultId }))).toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("a guardian of vault B cannot submit to vault A", async () => {
    const a = await activeVault(2, 2, "Vault A");
    const b = await activeVault(2, 2, "Vault B");
    const created = await newTransaction(a.vaultId);
    const intruder = b.guardians[0] as TestGuardian;
    const { input } = await (a.guardians[0] as TestGuardian).approve(created.id, 1);
    expect(
      await rejection(
        intruder.caller.signing.commit({ ...input, hiding: input.binding, binding: input.hiding }),
      ),
    ).toEqual({ code: "FORBIDDEN", reason: "not_a_vault_member" });
    // Naming its own vault with a foreign transaction id does not help either.
    expect(
      await rejection(intruder.caller.signing.commit({ ...input, vaultId: b.vaultId })),
    ).toEqual({ code: "NOT_FOUND", reason: "transaction_not_found" });
    expect(
      await rejection(
        intruder.caller.transactions.get({ vaultId: a.vaultId, transactionId: created.id }),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(await rejection(intruder.caller.keygen.state({ vaultId: a.vaultId }))).toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
