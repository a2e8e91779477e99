// Signing a 10-input PSBT with a 3-of-5 vault through the ws-server over WSS (one FROST
// ceremony, ten messages: every guardian decodes the PSBT itself, commits ten nonce
// pairs and signs ten shares; the server verifies 30 shares, aggregates ten signatures,
// checks each as BIP340 and finalizes), beside the single-digest ceremony of the same
// vault through the same server.
import { base64 } from "@scure/base";
import { buildVaultPsbt } from "@conclave/bitcoin/testing/build-vault-psbt";
import { importPsbt } from "@conclave/api/services/transactions/import-psbt";
import type { KeyShare } from "@conclave/client/keyshare/key-share-file";
import { reviewTransaction } from "@conclave/client/signing/review-transaction";
import { runSigning } from "@conclave/client/signing/run-signing";
import { startGuardianFrontDoor } from "../../apps/ws-server/test/guardian-front-door";
import {
  closeAll,
  createAdmin,
  createBitcoinTransaction,
  enrolVault,
  keygenAll,
  loadKeyShares,
  signAll,
  type EnrolledVault,
} from "../../apps/ws-server/test/support/guardian-ceremonies";
import { measure, report } from "../measure";

const THRESHOLD = 3;
const GUARDIANS = 5;
const INPUTS = 10;

function signPsbtAll(vault: EnrolledVault, keyShares: readonly KeyShare[], transactionId: string) {
  return Promise.all(
    vault.guardians.map(async ({ client }, i) => {
      const keyShare = keyShares[i];
      if (keyShare === undefined) throw new Error("missing key share");
      const review = await reviewTransaction(
        client,
        vault.vaultId,
        transactionId,
        keyShare.publicKeyPackage.groupPublicKeyXOnly,
      );
      return runSigning(client, { review, keyShare, recheckMs: 1_000 });
    }),
  );
}

export async function psbtSigningBench(): Promise<void> {
  const door = await startGuardianFrontDoor();
  const adminId = await createAdmin(door, "bench-psbt@example.test");
  const actor = { actorType: "USER" as const, actorId: adminId, createdById: adminId };
  const vault = await enrolVault(door, adminId, {
    name: "PSBT bench vault",
    threshold: THRESHOLD,
    guardianCount: GUARDIANS,
  });
  try {
    await keygenAll(vault);
    const keyShares = await loadKeyShares(vault);
    const groupKey = keyShares[0]?.publicKeyPackage.groupPublicKeyXOnly ?? "";
    let serial = 0;
    const digestCeremony = async () => {
      const transaction = await createBitcoinTransaction(door, adminId, vault.vaultId, {
        amount: String(10_000 + ++serial),
      });
      await signAll(vault, keyShares, transaction.id);
    };
    const psbtCeremony = async () => {
      const { psbt } = buildVaultPsbt({
        outputKeyXOnly: groupKey,
        network: "testnet",
        inputs: Array.from({ length: INPUTS }, () => 50_000n),
        outputs: [{ address: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", amount: 400_000n }],
        change: 90_000n,
      });
      const transaction = await importPsbt(
        door.api.deps,
        { ip: null, userAgent: null, requestId: "bench" },
        actor,
        {
          vaultId: vault.vaultId,
          network: "testnet",
          psbt: base64.encode(psbt),
          memo: "bench",
        },
      );
      await signPsbtAll(vault, keyShares, transaction.id);
    };
    const digest = await measure(
      "single digest (approval signature), 1 at a time",
      digestCeremony,
      {
        total: 10,
        concurrency: 1,
        warmup: 2,
      },
    );
    const psbt = await measure(`${INPUTS}-input PSBT, 1 at a time`, psbtCeremony, {
      total: 10,
      concurrency: 1,
      warmup: 2,
    });
    report(`3-of-${GUARDIANS} signing through the ws-server over WSS`, digest, [psbt]);
  } finally {
    await closeAll([vault]);
    await door.close();
  }
}
