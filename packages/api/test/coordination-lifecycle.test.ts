import { hashPassword } from "@conclave/auth/password-hash";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminCaller, TestGuardian } from "./support/coordination-harness";
import {
  createAdmin,
  runKeygen,
  testnetDestination,
  vaultWithGuardians,
} from "./support/coordination-harness";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const reason = (error.cause as { reason?: string } | undefined)?.reason;
    return reason ? `${error.code}:${reason}` : error.code;
  }
  throw new Error("expected a refusal");
}

describe("coordination: vault lifecycle and transaction fields", () => {
  let api: TestApi;
  let admin: { id: string; caller: AdminCaller };
  // Disabling and deleting a vault take a fresh credential in the same request.
  const password = "lifecycle admin password";

  beforeAll(async () => {
    api = await createTestApi();
    admin = await createAdmin(api);
    await api.prisma.user.update({
      where: { id: admin.id },
      data: { passwordHash: await hashPassword(password) },
    });
  });
  afterAll(async () => api.close());

  it("vault parameters are checked: 2 <= t <= n <= 15, safe name, chain and network", async () => {
    const base = { name: "Ok", chain: "bitcoin" as const, network: "mainnet" as const };
    expect(
      await refusal(admin.caller.admin.vaults.create({ ...base, threshold: 1, guardianCount: 3 })),
    ).toBe("BAD_REQUEST");
    expect(
      await refusal(admin.caller.admin.vaults.create({ ...base, threshold: 4, guardianCount: 3 })),
    ).toBe("BAD_REQUEST");
    expect(
      await refusal(admin.caller.admin.vaults.create({ ...base, threshold: 2, guardianCount: 16 })),
    ).toBe("BAD_REQUEST");
    expect(
      await refusal(
        admin.caller.admin.vaults.create({
          ...base,
          name: "evil\u202Ename",
          threshold: 2,
          guardianCount: 3,
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await refusal(
        admin.caller.admin.vaults.create({
          name: "x",
          chain: "ethereum",
          network: "testnet" as "sepolia",
          threshold: 2,
          guardianCount: 3,
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(await api.prisma.vault.count()).toBe(0);
  });

  it("DRAFT -> INVITING -> KEYGEN -> ACTIVE, no joins after keygen starts, disable and delete need the name", async () => {
    const created = await admin.caller.admin.vaults.create({
      name: "Lifecycle",
      chain: "bitcoin",
      network: "testnet",
      threshold: 2,
      guardianCount: 2,
    });
    expect(created.status).toBe("DRAFT");
    await admin.caller.admin.invitations.create({ vaultId: created.id });
    expect((await admin.caller.admin.vaults.detail({ vaultId: created.id })).status).toBe(
      "INVITING",
    );

    const { vaultId, guardians } = await vaultWithGuardians(api, admin, 2, 2, "Lifecycle 2");
    const keygen = await admin.caller.admin.vaults.detail({ vaultId });
    expect(keygen.status).toBe("KEYGEN");
    expect(keygen.keygen).toMatchObject({ attempt: 1, round: 1, status: "OPEN" });
    expect(await refusal(admin.caller.admin.invitations.create({ vaultId }))).toBe(
      "CONFLICT:vault_not_inviting",
    );
    await runKeygen(guardians);
    expect((await admin.caller.admin.vaults.detail({ vaultId })).status).toBe("ACTIVE");

    const open = await admin.caller.admin.transactions.create({
      vaultId,
      fields: {
        chain: "bitcoin",
        network: "testnet",
        destination: testnetDestination,
        amount: "1",
        memo: "",
      },
    });
    expect(
      await refusal(
        admin.caller.admin.vaults.disable({ vaultId, confirmName: "lifecycle 2", password }),
      ),
    ).toBe("BAD_REQUEST:confirmation_mismatch");
    expect((await admin.caller.admin.vaults.detail({ vaultId })).status).toBe("ACTIVE");
    const disabled = await admin.caller.admin.vaults.disable({
      vaultId,
      confirmName: "Lifecycle 2",
      password,
    });
    expect(disabled.status).toBe("DISABLED");
    const cancelled = await admin.caller.admin.transactions.get({
      vaultId,
      transactionId: open.id,
    });
    expect(cancelled.status).toBe("CANCELLED");
    expect(await refusal((guardians[0] as TestGuardian).approve(open.id, 1))).toBe(
      "CONFLICT:transaction_closed",
    );
    expect(
      await refusal(
        admin.caller.admin.transactions.create({
          vaultId,
          fields: {
            chain: "bitcoin",
            network: "testnet",
            destination: testnetDestination,
            amount: "1",
            memo: "",
          },
        }),
      ),
    ).toBe("CONFLICT:vault_not_active");
    const deleted = await admin.caller.admin.vaults.delete({
      vaultId,
      confirmName: "Lifecycle 2",
      password,
    });
    expect(deleted.status).toBe("DELETED");
    expect(deleted.deletedAt).not.toBeNull();
    expect(await api.prisma.vault.count({ where: { id: vaultId } })).toBe(1);
    const audit = await api.prisma.auditEvent.findMany({
      where: {
        targetId: vaultId,
        action: { in: ["vault_disable", "vault_delete", "vault_activate"] },
      },
      orderBy: { seq: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["vault_activate", "vault_disable", "vault_delete"]);
  });

  it("transaction fields: address checksum, network, chain, amount and memo each refused; cancel works once", async () => {
    const { vaultId } = await (async () => {
      const v = await vaultWithGuardians(api, admin, 2, 2, "Fields");
      await runKeygen(v.guardians);
      return v;
    })();
    const good = {
      chain: "bitcoin" as const,
      network: "testnet" as const,
      destination: testnetDestination,
      amount: "5000",
      memo: "ok",
    };
    const create = (fields: Record<string, unknown>) =>
      admin.caller.admin.transactions.create({
        vaultId,
        fields: { ...good, ...fields },
      });
    const before = await api.prisma.transaction.count();
    expect(await refusal(create({ destination: testnetDestination.slice(0, -1) + "y" }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await refusal(create({ destination: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" })),
    ).toBe("BAD_REQUEST");
    expect(await refusal(create({ amount: "0" }))).toBe("BAD_REQUEST");
    expect(await refusal(create({ amount: "012" }))).toBe("BAD_REQUEST");
    expect(await refusal(create({ memo: "line\nbreak" }))).toBe("BAD_REQUEST");
    expect(await refusal(create({ extra: true }))).toBe("BAD_REQUEST");
    expect(
      await refusal(
        create({ network: "mainnet", destination: "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" }),
      ),
    ).toBe("BAD_REQUEST:chain_mismatch");
    expect(await api.prisma.transaction.count()).toBe(before);

    const created = await create({});
    expect(created.digest).toMatch(/^[0-9a-f]{64}$/);
    const cancelled = await admin.caller.admin.transactions.cancel({
      vaultId,
      transactionId: created.id,
    });
    expect(cancelled.status).toBe("CANCELLED");
    expect(
      await refusal(admin.caller.admin.transactions.cancel({ vaultId, transactionId: created.id })),
    ).toBe("CONFLICT:transaction_closed");
    const listed = await admin.caller.admin.transactions.list({ vaultId });
    expect(listed.map((t) => t.id)).toEqual([created.id]);
  });
});
