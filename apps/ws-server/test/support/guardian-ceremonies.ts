// Vaults with guardians as separate SDK clients over WSS, for the ceremony tests and
// the ceremony benchmark: the admin side calls the API services directly, every
// guardian step goes through the real server.
import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import { createTransaction } from "@conclave/api/services/transactions/create-transaction";
import { createVault } from "@conclave/api/services/vaults/create-vault";
import {
  createGuardianClient,
  type GuardianClient,
  type GuardianClientEvent,
} from "@conclave/client/create-guardian-client";
import { runKeygen, type KeygenResult } from "@conclave/client/keygen/run-keygen";
import { loadKeyShare, type KeyShare } from "@conclave/client/keyshare/key-share-file";
import { reviewTransaction } from "@conclave/client/signing/review-transaction";
import { runSigning } from "@conclave/client/signing/run-signing";
import {
  transactionFieldsSchema,
  type TransactionFields,
} from "@conclave/validators/transaction-fields-schema";
import type { GuardianFrontDoor } from "../guardian-front-door";

const meta = { ip: null, userAgent: null, requestId: "ceremony-test" };

export const testPassphrase = "correct horse battery staple";

export interface EnrolledGuardian {
  readonly client: GuardianClient;
  readonly stateDir: string;
}

export interface EnrolledVault {
  readonly vaultId: string;
  readonly guardians: readonly EnrolledGuardian[];
}

function adminActor(adminId: string) {
  return { actorType: "USER" as const, actorId: adminId, createdById: adminId };
}

export async function createAdmin(door: GuardianFrontDoor, email: string): Promise<string> {
  const admin = await door.api.deps.prisma.user.create({
    data: { email, passwordHash: "x", role: "ADMIN" },
  });
  return admin.id;
}

/**
 * A 2-of-3 vault open for guardians, and one invitation code to it. A vault stops
 * inviting once its n guardians joined, so tests that need many guardians use many.
 */
export async function inviteToNewVault(
  door: GuardianFrontDoor,
  adminId: string,
  name: string,
): Promise<{ vaultId: string; code: string }> {
  const vault = await door.api.deps.prisma.vault.create({
    data: {
      name,
      chain: "bitcoin",
      threshold: 2,
      guardianCount: 3,
      status: "INVITING",
      createdById: adminId,
    },
  });
  const invitation = await createInvitation(door.api.deps, meta, adminActor(adminId), {
    vaultId: vault.id,
    role: "GUARDIAN",
  });
  return { vaultId: vault.id, code: invitation.code };
}

/** The next event of `client` that `predicate` accepts. */
export function nextEvent(
  client: GuardianClient,
  predicate: (event: GuardianClientEvent) => boolean,
): Promise<GuardianClientEvent> {
  return new Promise((resolve) => {
    const off = client.on((event) => {
      if (!predicate(event)) return;
      off();
      resolve(event);
    });
  });
}

/** Creates a bitcoin testnet vault and joins `guardianCount` SDK clients to it. */
export async function enrolVault(
  door: GuardianFrontDoor,
  adminId: string,
  options: { name: string; threshold: number; guardianCount: number },
): Promise<EnrolledVault> {
  const vault = await createVault(door.api.deps, meta, adminActor(adminId), {
    name: options.name,
    chain: "bitcoin",
    network: "testnet",
    threshold: options.threshold,
    guardianCount: options.guardianCount,
  });
  const guardians: EnrolledGuardian[] = [];
  for (let i = 1; i <= options.guardianCount; i++) {
    const invitation = await createInvitation(door.api.deps, meta, adminActor(adminId), {
      vaultId: vault.id,
      role: "GUARDIAN",
    });
    const stateDir = door.stateDir();
    const client = createGuardianClient({ serverUrl: door.origin, ca: door.tls.cert, stateDir });
    await client.join({ vaultId: vault.id, code: invitation.code, deviceName: `device-${i}` });
    guardians.push({ client, stateDir });
  }
  return { vaultId: vault.id, guardians };
}

/** Every guardian of the vault runs the DKG at once; resolves with their results. */
export function keygenAll(
  vault: EnrolledVault,
  onProgress?: (line: string) => void,
): Promise<KeygenResult[]> {
  return Promise.all(
    vault.guardians.map(({ client, stateDir }) =>
      runKeygen(client, {
        vaultId: vault.vaultId,
        passphrase: testPassphrase,
        stateDir,
        recheckMs: 1_000,
        ...(onProgress ? { onProgress } : {}),
      }),
    ),
  );
}

export function loadKeyShares(vault: EnrolledVault): Promise<KeyShare[]> {
  return Promise.all(
    vault.guardians.map(({ stateDir }) => loadKeyShare(stateDir, vault.vaultId, testPassphrase)),
  );
}

export function createBitcoinTransaction(
  door: GuardianFrontDoor,
  adminId: string,
  vaultId: string,
  fields: Partial<TransactionFields> = {},
) {
  return createTransaction(door.api.deps, meta, adminActor(adminId), {
    vaultId,
    fields: transactionFieldsSchema.parse({
      chain: "bitcoin",
      network: "testnet",
      destination: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
      amount: "150000",
      memo: "Quarterly payout",
      ...fields,
    }),
  });
}

/**
 * Every guardian re-derives the transaction and runs the signing protocol with its
 * already unlocked key share; resolves with the signature each one saw verify.
 */
export function signAll(
  vault: EnrolledVault,
  keyShares: readonly KeyShare[],
  transactionId: string,
): Promise<string[]> {
  return Promise.all(
    vault.guardians.map(async ({ client }, i) => {
      const keyShare = keyShares[i];
      if (keyShare === undefined) throw new Error("missing key share");
      const review = await reviewTransaction(client, vault.vaultId, transactionId);
      return runSigning(client, { review, keyShare, recheckMs: 1_000 });
    }),
  );
}

export async function closeAll(vaults: readonly EnrolledVault[]): Promise<void> {
  for (const vault of vaults) for (const { client } of vault.guardians) await client.close();
}
