import { base64 } from "@scure/base";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import { createVault } from "@conclave/api/services/vaults/create-vault";
import { importPsbt } from "@conclave/api/services/transactions/import-psbt";
import { buildVaultPsbt } from "@conclave/bitcoin/testing/build-vault-psbt";
import { verifyKeyPathSpends } from "@conclave/bitcoin/testing/verify-key-path-spends";
import { taprootAddress } from "@conclave/validators/taproot-address";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { runGuardianCli } from "./run-cli";

const meta = { ip: null, userAgent: null, requestId: "cli-bitcoin" };
const env = { CONCLAVE_GUARDIAN_PASSPHRASE: "cli passphrase 123" };

// The vault's P2TR address through `conclave-guardian status`, two guardians of a 2-of-2
// as separate processes. Ceremonies across processes take minutes under a loaded `npm test`.
describe("conclave-guardian and the vault's bitcoin address", { timeout: 180_000 }, () => {
  let door: GuardianFrontDoor;
  let vaultId: string;
  let adminId: string;
  const stateDirs: string[] = [];

  const setGroupKey = async (key: string) => {
    const client = new pg.Client({ connectionString: door.database.ownerUrl });
    await client.connect();
    try {
      await client.query(`UPDATE "Vault" SET "groupPublicKeyXOnly" = $1 WHERE id = $2`, [
        key,
        vaultId,
      ]);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    const admin = await door.api.deps.prisma.user.create({
      data: { email: "cli-bitcoin@example.test", passwordHash: "x", role: "ADMIN" },
    });
    adminId = admin.id;
    const actor = { actorType: "USER" as const, actorId: admin.id, createdById: admin.id };
    vaultId = (
      await createVault(door.api.deps, meta, actor, {
        name: "CLI bitcoin vault",
        chain: "bitcoin",
        network: "testnet",
        threshold: 2,
        guardianCount: 2,
      })
    ).id;
    for (let i = 1; i <= 2; i++) {
      const invitation = await createInvitation(door.api.deps, meta, actor, {
        vaultId,
        role: "GUARDIAN",
      });
      const stateDir = door.stateDir();
      const joined = await runGuardianCli([
        "join",
        ...["--server", door.origin, "--ca", door.tls.certFile, "--vault", vaultId],
        ...["--code", invitation.code, "--device", `btc-${i}`, "--state-dir", stateDir],
      ]);
      expect(joined.code).toBe(0);
      stateDirs.push(stateDir);
    }
    const keygens = await Promise.all(
      stateDirs.map((stateDir) =>
        runGuardianCli(["keygen", "--vault", vaultId, "--state-dir", stateDir], env),
      ),
    );
    for (const result of keygens) expect(result.code).toBe(0);
  });
  afterAll(async () => {
    await door.close();
  });

  it("status shows the P2TR address re-derived from the key package", async () => {
    const vault = await door.api.deps.prisma.vault.findUniqueOrThrow({ where: { id: vaultId } });
    const expected = taprootAddress(vault.groupPublicKeyXOnly ?? "", "testnet");
    const result = await runGuardianCli(["status", "--state-dir", stateDirs[0] ?? ""], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `  address    ${expected}  (re-derived from this device's key package)`,
    );
  });

  it("status refuses when the server's address is not the vault's", async () => {
    const vault = await door.api.deps.prisma.vault.findUniqueOrThrow({ where: { id: vaultId } });
    const original = vault.groupPublicKeyXOnly ?? "";
    // Another valid x-only key: the generator's.
    await setGroupKey("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    try {
      const result = await runGuardianCli(["status", "--state-dir", stateDirs[1] ?? ""], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("REFUSED: the server's vault address differs");
      expect(result.stdout).not.toContain("  address ");
    } finally {
      await setGroupKey(original);
    }
  });

  it("sign shows a PSBT's outputs and fee and prints the finalized transaction", async () => {
    const vault = await door.api.deps.prisma.vault.findUniqueOrThrow({ where: { id: vaultId } });
    const groupKey = vault.groupPublicKeyXOnly ?? "";
    const { psbt, prevouts } = buildVaultPsbt({
      outputKeyXOnly: groupKey,
      network: "testnet",
      inputs: [70_000n, 30_000n],
      outputs: [{ address: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", amount: 60_000n }],
      change: 38_000n,
    });
    const transaction = await importPsbt(
      door.api.deps,
      meta,
      { actorType: "USER", actorId: adminId, createdById: adminId },
      { vaultId, network: "testnet", psbt: base64.encode(psbt), memo: "CLI PSBT" },
    );
    const results = await Promise.all(
      stateDirs.map((stateDir) =>
        runGuardianCli(
          [
            "sign",
            "--vault",
            vaultId,
            "--tx",
            transaction.id,
            "--auto-approve",
            "--state-dir",
            stateDir,
          ],
          env,
        ),
      ),
    );
    for (const result of results) {
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        "kind         bitcoin transaction (PSBT, decoded on this device",
      );
      expect(result.stderr).toContain(
        "output       tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx  0.0006 BTC",
      );
      expect(result.stderr).toContain(
        `output       ${taprootAddress(groupKey, "testnet")}  0.00038 BTC  (change, back to the vault)`,
      );
      expect(result.stdout).toContain(`txid ${transaction.bitcoin?.txid ?? ""}`);
      const raw = /^raw ([0-9a-f]+)$/mu.exec(result.stdout)?.[1] ?? "";
      expect(verifyKeyPathSpends(raw, prevouts)).toEqual([true, true]);
      expect(result.stdout).toMatch(/^psbt cHNidP8[A-Za-z0-9+/=]+$/mu);
    }
  });
});
