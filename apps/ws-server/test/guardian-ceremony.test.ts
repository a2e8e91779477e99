import { statSync } from "node:fs";
import { schnorr } from "@noble/curves/secp256k1.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyShareError, loadKeyShare } from "@conclave/client/keyshare/key-share-file";
import { reviewTransaction } from "@conclave/client/signing/review-transaction";
import { runSigning } from "@conclave/client/signing/run-signing";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import {
  closeAll,
  createAdmin,
  createBitcoinTransaction,
  enrolVault,
  keygenAll,
  testPassphrase,
  type EnrolledVault,
} from "./support/guardian-ceremonies";

// Three guardians as separate SDK clients over WSS: DKG 2-of-3, then a signature that a
// plain BIP340 verifier accepts, each guardian re-deriving the digest first.
// Whole ceremonies across processes: minutes under a loaded `npm test`, not the 30 s default.
describe("keygen and signing through the ws-server with SDK clients", { timeout: 120_000 }, () => {
  let door: GuardianFrontDoor;
  let adminId: string;
  let vault: EnrolledVault;

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    adminId = await createAdmin(door, "ceremony-admin@example.test");
    vault = await enrolVault(door, adminId, {
      name: "Ceremony vault",
      threshold: 2,
      guardianCount: 3,
    });
  });
  afterAll(async () => {
    await closeAll([vault]);
    await door.close();
  });

  it("runs the DKG to one group key and stores each share encrypted (0600)", async () => {
    const progress: string[] = [];
    const results = await keygenAll(vault, (line) => progress.push(line));
    const keys = new Set(results.map((result) => result.groupPublicKeyXOnly));
    expect(keys.size).toBe(1);
    expect(results.map((result) => result.guardianIndex).sort()).toEqual([1, 2, 3]);
    for (const result of results) expect(statSync(result.keyShareFile).mode & 0o777).toBe(0o600);
    const stored = await door.api.deps.prisma.vault.findUniqueOrThrow({
      where: { id: vault.vaultId },
    });
    expect(stored.status).toBe("ACTIVE");
    expect(progress.some((line) => line.startsWith("round 3 sent"))).toBe(true);
    const first = vault.guardians[0];
    if (first === undefined) throw new Error("no guardian");
    await expect(loadKeyShare(first.stateDir, vault.vaultId, "wrong passphrase")).rejects.toThrow(
      KeyShareError,
    );
  });

  it("signs a transaction whose digest every guardian re-derived; BIP340 verifies it", async () => {
    const transaction = await createBitcoinTransaction(door, adminId, vault.vaultId);
    const signatures = await Promise.all(
      vault.guardians.map(async ({ client, stateDir }) => {
        const review = await reviewTransaction(client, vault.vaultId, transaction.id);
        expect(review.amountDisplay).toBe("0.0015 BTC");
        const keyShare = await loadKeyShare(stateDir, vault.vaultId, testPassphrase);
        return runSigning(client, { review, keyShare, recheckMs: 1_000 });
      }),
    );
    expect(new Set(signatures).size).toBe(1);
    const stored = await door.api.deps.prisma.vault.findUniqueOrThrow({
      where: { id: vault.vaultId },
    });
    const signature = signatures[0] ?? "";
    expect(
      schnorr.verify(
        Buffer.from(signature, "hex"),
        Buffer.from(transaction.digest, "hex"),
        Buffer.from(stored.groupPublicKeyXOnly ?? "", "hex"),
      ),
    ).toBe(true);
  });
});
