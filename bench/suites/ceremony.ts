// What coordination costs: 3-of-5 signing ceremonies through the ws-server over WSS
// (guardians as separate SDK clients, each re-deriving the digest, the server
// persisting every round, verifying every share and aggregating), 1 and 20 at a
// time, against the same FROST operations run in one process without the server
// (3 commits, 3 sign shares, share verification, aggregation, final verification).
// The vault's DKG runs once beforehand; its key shares serve both cases.
import { aggregateSignature } from "@conclave/frost/aggregate";
import { commit } from "@conclave/frost/commit";
import { signShare } from "@conclave/frost/sign-share";
import { verifySignatureShares } from "@conclave/frost/verify-share";
import { verifyGroupSignature } from "@conclave/frost/verify-signature";
import type { KeyShare } from "@conclave/client/keyshare/key-share-file";
import { startGuardianFrontDoor } from "../../apps/ws-server/test/guardian-front-door";
import {
  closeAll,
  createAdmin,
  createBitcoinTransaction,
  enrolVault,
  keygenAll,
  loadKeyShares,
  signAll,
} from "../../apps/ws-server/test/support/guardian-ceremonies";
import { measure, report } from "../measure";

const THRESHOLD = 3;
const GUARDIANS = 5;

function inProcessCeremony(keyShares: readonly KeyShare[], digest: string): () => Promise<void> {
  const signers = keyShares.slice(0, THRESHOLD);
  return () => {
    const rounds = signers.map((share) => ({ share, ...commit(share.keyPackage) }));
    const signingPackage = { message: digest, commitments: rounds.map((r) => r.commitments) };
    const shares = rounds.map((r) =>
      signShare({
        keyPackage: r.share.keyPackage,
        publicKeyPackage: r.share.publicKeyPackage,
        nonces: r.nonces,
        signingPackage,
      }),
    );
    const publicKeyPackage = signers[0]?.publicKeyPackage;
    if (publicKeyPackage === undefined) throw new Error("no key share");
    if (verifySignatureShares(publicKeyPackage, signingPackage, shares).invalid.length > 0)
      throw new Error("invalid share");
    const signature = aggregateSignature(publicKeyPackage, signingPackage, shares);
    if (
      !verifyGroupSignature({
        groupPublicKeyXOnly: publicKeyPackage.groupPublicKeyXOnly,
        message: digest,
        signature,
      })
    )
      throw new Error("signature does not verify");
    return Promise.resolve();
  };
}

export async function ceremonyBench(): Promise<void> {
  const door = await startGuardianFrontDoor();
  const adminId = await createAdmin(door, "bench-admin@example.test");
  const vault = await enrolVault(door, adminId, {
    name: "Bench vault",
    threshold: THRESHOLD,
    guardianCount: GUARDIANS,
  });
  try {
    await keygenAll(vault);
    const keyShares = await loadKeyShares(vault);
    let serial = 0;
    const throughServer = async () => {
      const transaction = await createBitcoinTransaction(door, adminId, vault.vaultId, {
        amount: String(10_000 + ++serial),
      });
      await signAll(vault, keyShares, transaction.id);
    };

    const baseline = await measure(
      "in process: commit, sign share, verify shares, aggregate, verify",
      inProcessCeremony(keyShares, "ab".repeat(32)),
      { total: 200, concurrency: 1, warmup: 20 },
    );
    const one = await measure("ws-server over WSS, 1 at a time", throughServer, {
      total: 10,
      concurrency: 1,
      warmup: 2,
    });
    const twenty = await measure("ws-server over WSS, 20 at a time", throughServer, {
      total: 40,
      concurrency: 20,
      warmup: 2,
    });
    report(`3-of-${GUARDIANS} signing ceremony (DKG once beforehand)`, baseline, [one, twenty]);
  } finally {
    await closeAll([vault]);
    await door.close();
  }
}
