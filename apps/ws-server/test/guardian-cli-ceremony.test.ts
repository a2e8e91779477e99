import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import { createTransaction } from "@conclave/api/services/transactions/create-transaction";
import { createVault } from "@conclave/api/services/vaults/create-vault";
import { transactionFieldsSchema } from "@conclave/validators/transaction-fields-schema";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { runGuardianCli } from "./run-cli";

const meta = { ip: null, userAgent: null, requestId: "cli-ceremony" };
const env = { CONCLAVE_GUARDIAN_PASSPHRASE: "cli passphrase 123" };

// `conclave-guardian keygen` and `sign` as separate processes, two guardians of a 2-of-2.
// Whole ceremonies across processes: minutes under a loaded `npm test`, not the 30 s default.
describe("conclave-guardian keygen and sign", { timeout: 120_000 }, () => {
  let door: GuardianFrontDoor;
  let adminId: string;
  let vaultId: string;
  const stateDirs: string[] = [];

  const newTransaction = async (memo: string) =>
    createTransaction(
      door.api.deps,
      meta,
      { actorType: "USER", actorId: adminId, createdById: adminId },
      {
        vaultId,
        fields: transactionFieldsSchema.parse({
          chain: "bitcoin",
          network: "testnet",
          destination: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
          amount: "2500000",
          memo,
        }),
      },
    );

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    const admin = await door.api.deps.prisma.user.create({
      data: { email: "cli-ceremony@example.test", passwordHash: "x", role: "ADMIN" },
    });
    adminId = admin.id;
    const actor = { actorType: "USER" as const, actorId: adminId, createdById: adminId };
    vaultId = (
      await createVault(door.api.deps, meta, actor, {
        name: "CLI vault",
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
        ...["--code", invitation.code, "--device", `cli-${i}`, "--state-dir", stateDir],
      ]);
      expect(joined.code).toBe(0);
      stateDirs.push(stateDir);
    }
  });
  afterAll(async () => {
    await door.close();
  });

  it("keygen runs both guardians to one group key, with progress on stderr", async () => {
    const results = await Promise.all(
      stateDirs.map((stateDir) =>
        runGuardianCli(["keygen", "--vault", vaultId, "--state-dir", stateDir], env),
      ),
    );
    for (const result of results) {
      expect(result.stderr).toMatch(/\[\d\d:\d\d:\d\d\] round 1 sent/u);
      expect(result.code).toBe(0);
    }
    const keys = results.map(
      (result) => /group key \(x-only\) ([0-9a-f]{64})/u.exec(result.stdout)?.[1],
    );
    expect(keys[0]).toBeDefined();
    expect(keys[1]).toBe(keys[0]);
  });

  it("sign shows the re-derived transaction and sends nothing without approval", async () => {
    const transaction = await newTransaction("Not approved");
    const [first] = stateDirs;
    const result = await runGuardianCli(
      ["sign", "--vault", vaultId, "--tx", transaction.id, "--state-dir", first ?? ""],
      env,
      "no\n",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("amount       0.025 BTC  (2500000 base units)");
    expect(result.stderr).toContain("destination  tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx");
    expect(result.stderr).toContain("memo         Not approved");
    expect(result.stderr).toContain("not approved; nothing was sent");
    const commitments = await door.api.deps.prisma.signingCommitment.count({
      where: { attempt: { transactionId: transaction.id } },
    });
    expect(commitments).toBe(0);
  });

  it("sign refuses when the server's digest does not match the fields", async () => {
    const transaction = await newTransaction("Tampered");
    const client = new pg.Client({ connectionString: door.database.ownerUrl });
    await client.connect();
    try {
      await client.query(`UPDATE "Transaction" SET digest = $1 WHERE id = $2`, [
        "00".repeat(32),
        transaction.id,
      ]);
    } finally {
      await client.end();
    }
    const [first] = stateDirs;
    const result = await runGuardianCli(
      [
        "sign",
        "--vault",
        vaultId,
        "--tx",
        transaction.id,
        "--auto-approve",
        "--state-dir",
        first ?? "",
      ],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("REFUSED");
  });

  it("sign --auto-approve warns loudly and completes with both guardians", async () => {
    const transaction = await newTransaction("Payroll");
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
      expect(result.stderr).toContain("--auto-approve: signing WITHOUT asking a human");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^signature [0-9a-f]{128}$/mu);
    }
    const stored = await door.api.deps.prisma.transaction.findUniqueOrThrow({
      where: { id: transaction.id },
    });
    expect(stored.status).toBe("COMPLETED");
  });
});
