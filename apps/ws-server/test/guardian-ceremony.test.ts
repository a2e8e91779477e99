import { statSync } from "node:fs";
import { schnorr } from "@noble/curves/secp256k1.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import { createTransaction } from "@conclave/api/services/transactions/create-transaction";
import { createVault } from "@conclave/api/services/vaults-lifecycle/create-vault";
import { createGuardianClient, type GuardianClient } from "@conclave/client/create-guardian-client";
import { runKeygen } from "@conclave/client/keygen/run-keygen";
import { KeyShareError, loadKeyShare } from "@conclave/client/keyshare/key-share-file";
import { reviewTransaction } from "@conclave/client/signing/review-transaction";
import { runSigning } from "@conclave/client/signing/run-signing";
import { transactionFieldsSchema } from "@conclave/validators/transaction-fields-schema";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";

const meta = { ip: null, userAgent: null, requestId: "ceremony-test" };
const passphrase = "correct horse battery staple";

// Three guardians as separate SDK clients over WSS: DKG 2-of-3, then a signature that a
// plain BIP340 verifier accepts, each guardian re-deriving the digest first.
// Whole ceremonies across processes: minutes under a loaded `npm test`, not the 30 s default.
describe("keygen and signing through the ws-server with SDK clients", { timeout: 120_000 }, () => {
  let door: GuardianFrontDoor;
  let adminId: string;
  let vaultId: string;
  const guardians: { client: GuardianClient; stateDir: string }[] = [];

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    const admin = await door.api.deps.prisma.user.create({
      data: { email: "ceremony-admin@example.test", passwordHash: "x", role: "ADMIN" },
    });
    adminId = admin.id;
    const actor = { actorType: "USER" as const, actorId: adminId, createdById: adminId };
    const vault = await createVault(door.api.deps, meta, actor, {
      name: "Ceremony vault",
      chain: "bitcoin",
      network: "testnet",
      threshold: 2,
      guardianCount: 3,
    });
    vaultId = vault.id;
    for (let i = 1; i <= 3; i++) {
      const invitation = await createInvitation(door.api.deps, meta, actor, {
        vaultId,
        role: "GUARDIAN",
      });
      const stateDir = door.stateDir();
      const client = createGuardianClient({ serverUrl: door.origin, ca: door.tls.cert, stateDir });
      await client.join({ vaultId, code: invitation.code, deviceName: `device-${i}` });
      guardians.push({ client, stateDir });
    }
  });
  afterAll(async () => {
    for (const { client } of guardians) await client.close();
    await door.close();
  });

  it("runs the DKG to one group key and stores each share encrypted (0600)", async () => {
    const progress: string[] = [];
    const results = await Promise.all(
      guardians.map(({ client, stateDir }) =>
        runKeygen(client, {
          vaultId,
          passphrase,
          stateDir,
          recheckMs: 1_000,
          onProgress: (line) => progress.push(line),
        }),
      ),
    );
    const keys = new Set(results.map((result) => result.groupPublicKeyXOnly));
    expect(keys.size).toBe(1);
    expect(results.map((result) => result.guardianIndex).sort()).toEqual([1, 2, 3]);
    for (const result of results) expect(statSync(result.keyShareFile).mode & 0o777).toBe(0o600);
    const vault = await door.api.deps.prisma.vault.findUniqueOrThrow({ where: { id: vaultId } });
    expect(vault.status).toBe("ACTIVE");
    expect(progress.some((line) => line.startsWith("round 3 sent"))).toBe(true);
    const first = guardians[0];
    if (first === undefined) throw new Error("no guardian");
    await expect(loadKeyShare(first.stateDir, vaultId, "wrong passphrase")).rejects.toThrow(
      KeyShareError,
    );
  });

  it("signs a transaction whose digest every guardian re-derived; BIP340 verifies it", async () => {
    const transaction = await createTransaction(
      door.api.deps,
      meta,
      { actorType: "USER", actorId: adminId, createdById: adminId },
      {
        vaultId,
        fields: transactionFieldsSchema.parse({
          chain: "bitcoin",
          network: "testnet",
          destination: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
          amount: "150000",
          memo: "Quarterly payout",
        }),
      },
    );
    const signatures = await Promise.all(
      guardians.map(async ({ client, stateDir }) => {
        const review = await reviewTransaction(client, vaultId, transaction.id);
        expect(review.amountDisplay).toBe("0.0015 BTC");
        const keyShare = await loadKeyShare(stateDir, vaultId, passphrase);
        return runSigning(client, { review, keyShare, recheckMs: 1_000 });
      }),
    );
    expect(new Set(signatures).size).toBe(1);
    const vault = await door.api.deps.prisma.vault.findUniqueOrThrow({ where: { id: vaultId } });
    const signature = signatures[0] ?? "";
    expect(
      schnorr.verify(
        Buffer.from(signature, "hex"),
        Buffer.from(transaction.digest, "hex"),
        Buffer.from(vault.groupPublicKeyXOnly ?? "", "hex"),
      ),
    ).toBe(true);
  });
});
