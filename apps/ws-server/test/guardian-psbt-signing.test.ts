import { base64, hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildVaultPsbt, type MadeUpPrevout } from "@conclave/bitcoin/testing/build-vault-psbt";
import { verifyKeyPathSpends } from "@conclave/bitcoin/testing/verify-key-path-spends";
import { importPsbt } from "@conclave/api/services/transactions/import-psbt";
import type { KeyShare } from "@conclave/client/keyshare/key-share-file";
import { PsbtMismatchError } from "@conclave/client/signing/review-psbt";
import { reviewTransaction } from "@conclave/client/signing/review-transaction";
import { runSigning } from "@conclave/client/signing/run-signing";
import { commit } from "@conclave/frost/commit";
import { signShare } from "@conclave/frost/sign-share";
import { taprootAddress } from "@conclave/validators/taproot-address";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import {
  closeAll,
  createAdmin,
  enrolVault,
  keygenAll,
  loadKeyShares,
  type EnrolledVault,
} from "./support/guardian-ceremonies";

const meta = { ip: null, userAgent: null, requestId: "psbt-test" };
const payee = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx";

// A 2-of-3 vault over real WSS with SDK clients: a PSBT spending two made-up outputs of
// the vault's P2TR address to a payee and change; every guardian decodes it itself, one
// FROST ceremony signs both inputs, and the finalized transaction is checked with
// @scure/btc-signer and a plain BIP340 verifier, not with Conclave's code.
describe("a PSBT signed by the vault through the ws-server", { timeout: 180_000 }, () => {
  let door: GuardianFrontDoor;
  let adminId: string;
  let vault: EnrolledVault;
  let keyShares: KeyShare[];
  let groupKey: string;

  const importFor = async (memo: string) => {
    const built = buildVaultPsbt({
      outputKeyXOnly: groupKey,
      network: "testnet",
      inputs: [120_000n, 80_000n],
      outputs: [{ address: payee, amount: 150_000n }],
      change: 47_000n,
    });
    const detail = await importPsbt(
      door.api.deps,
      meta,
      { actorType: "USER", actorId: adminId, createdById: adminId },
      { vaultId: vault.vaultId, network: "testnet", psbt: base64.encode(built.psbt), memo },
    );
    return { detail, prevouts: built.prevouts };
  };

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    adminId = await createAdmin(door, "psbt-admin@example.test");
    vault = await enrolVault(door, adminId, { name: "PSBT vault", threshold: 2, guardianCount: 3 });
    await keygenAll(vault);
    keyShares = await loadKeyShares(vault);
    groupKey = keyShares[0]?.publicKeyPackage.groupPublicKeyXOnly ?? "";
  });
  afterAll(async () => {
    await closeAll([vault]);
    await door.close();
  });

  it("signs every input and finalizes a transaction valid for consensus", async () => {
    const { detail, prevouts } = await importFor("Supplier invoice 42");
    const signatures = await Promise.all(
      vault.guardians.map(async ({ client }, i) => {
        const keyShare = keyShares[i];
        if (keyShare === undefined) throw new Error("missing key share");
        const review = await reviewTransaction(
          client,
          vault.vaultId,
          detail.id,
          keyShare.publicKeyPackage.groupPublicKeyXOnly,
        );
        expect(review.bitcoin?.summary.outputs).toEqual([
          { address: payee, amount: "150000", change: false },
          { address: taprootAddress(groupKey, "testnet"), amount: "47000", change: true },
        ]);
        expect(review.bitcoin?.summary.fee).toBe("3000");
        expect(review.messages).toHaveLength(2);
        return runSigning(client, { review, keyShare, recheckMs: 1_000 });
      }),
    );
    expect(new Set(signatures).size).toBe(1);
    const done = await door.api.deps.prisma.transaction.findUniqueOrThrow({
      where: { id: detail.id },
    });
    expect(done.status).toBe("COMPLETED");
    expect(done.signatures).toHaveLength(2);
    const raw = done.rawTransaction ?? "";
    expect(verifyKeyPathSpends(raw, prevouts)).toEqual([true, true]);
    const final = Transaction.fromRaw(hex.decode(raw));
    expect(final.id).toBe(done.txid);
    expect(done.txid).toBe(detail.bitcoin?.txid);
    expect(final.outputsLength).toBe(2);
    expect(Transaction.fromPSBT(base64.decode(done.signedPsbt ?? "")).isFinal).toBe(true);
    // The prevouts belong to this vault alone: another vault's key would not verify.
    const foreign: MadeUpPrevout[] = prevouts.map((p) => ({
      ...p,
      script: Uint8Array.of(
        0x51,
        0x20,
        ...hex.decode("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
      ),
    }));
    expect(verifyKeyPathSpends(raw, foreign)).toEqual([false, false]);
  });

  it("a guardian shown a summary that differs from the PSBT refuses and sends nothing", async () => {
    const { detail } = await importFor("Lying server");
    const summary = detail.bitcoin?.summary;
    if (summary === undefined) throw new Error("no summary");
    // The server claims the payee gets less than the PSBT pays it.
    const lie = {
      ...summary,
      outputs: summary.outputs.map((o) => (o.change ? o : { ...o, amount: "1500" })),
    };
    const client = new pg.Client({ connectionString: door.database.ownerUrl });
    await client.connect();
    try {
      await client.query(`UPDATE "Transaction" SET "psbtSummary" = $1 WHERE id = $2`, [
        JSON.stringify(lie),
        detail.id,
      ]);
    } finally {
      await client.end();
    }
    const first = vault.guardians[0];
    const keyShare = keyShares[0];
    if (first === undefined || keyShare === undefined) throw new Error("no guardian");
    await expect(
      reviewTransaction(
        first.client,
        vault.vaultId,
        detail.id,
        keyShare.publicKeyPackage.groupPublicKeyXOnly,
      ),
    ).rejects.toThrow(PsbtMismatchError);
    const commitments = await door.api.deps.prisma.signingCommitment.count({
      where: { attempt: { transactionId: detail.id } },
    });
    expect(commitments).toBe(0);
  });

  it("names a guardian whose share for one input does not verify, then signs without it", async () => {
    const { detail, prevouts } = await importFor("Cheater in the signer set");
    const ref = { vaultId: vault.vaultId, transactionId: detail.id };
    const [honest, cheater, third] = vault.guardians.map((guardian, i) => {
      const keyShare = keyShares[i];
      if (keyShare === undefined) throw new Error("missing key share");
      return {
        ...guardian,
        keyShare,
        pairs: [commit(keyShare.keyPackage), commit(keyShare.keyPackage)],
      };
    });
    if (honest === undefined || cheater === undefined || third === undefined)
      throw new Error("three guardians expected");
    for (const signer of [honest, cheater]) {
      const [first, second] = signer.pairs;
      if (first === undefined || second === undefined) throw new Error("two pairs expected");
      await signer.client.api.signing.commit.mutate({
        ...ref,
        attempt: 1,
        hiding: first.commitments.hiding,
        binding: first.commitments.binding,
        inputCommitments: [
          { hiding: second.commitments.hiding, binding: second.commitments.binding },
        ],
      });
    }
    const signing = await honest.client.api.transactions.get.query(ref);
    const packages = signing.attempts[0]?.signingPackages ?? [];
    expect(packages.map((p) => p.message)).toEqual(detail.bitcoin?.sighashes);
    const sharesOf = (signer: typeof honest) =>
      packages.map(
        (signingPackage, k) =>
          signShare({
            keyPackage: signer.keyShare.keyPackage,
            publicKeyPackage: signer.keyShare.publicKeyPackage,
            nonces: signer.pairs[k]?.nonces ?? { hiding: "", binding: "" },
            signingPackage,
          }).share,
      );
    const [honestFirst, honestSecond] = sharesOf(honest);
    const [cheaterFirst] = sharesOf(cheater);
    await honest.client.api.signing.submitShare.mutate({
      ...ref,
      attempt: 1,
      share: honestFirst ?? "",
      inputShares: [honestSecond ?? ""],
    });
    // A valid share for input 0, and for input 1 one that is not this guardian's.
    await expect(
      cheater.client.api.signing.submitShare.mutate({
        ...ref,
        attempt: 1,
        share: cheaterFirst ?? "",
        inputShares: [honestSecond ?? ""],
      }),
    ).rejects.toThrow(/does not verify/u);
    const named = await door.api.deps.prisma.signingExclusion.findMany({
      where: { transactionId: detail.id },
    });
    expect(named.map((e) => e.signerIndex)).toEqual([cheater.keyShare.keyPackage.guardianIndex]);
    await Promise.all(
      [honest, third].map(async (signer) => {
        const review = await reviewTransaction(
          signer.client,
          vault.vaultId,
          detail.id,
          signer.keyShare.publicKeyPackage.groupPublicKeyXOnly,
        );
        return runSigning(signer.client, { review, keyShare: signer.keyShare, recheckMs: 1_000 });
      }),
    );
    const done = await door.api.deps.prisma.transaction.findUniqueOrThrow({
      where: { id: detail.id },
    });
    expect(done.status).toBe("COMPLETED");
    expect(done.currentAttempt).toBe(2);
    expect(verifyKeyPathSpends(done.rawTransaction ?? "", prevouts)).toEqual([true, true]);
  });
});
