import {
  decryptField,
  encryptField,
  fieldKid,
  generateDataKey,
  unwrapDataKey,
  wrapDataKey,
  type DataKey,
  type DataKeyRing,
  type KeyEncryptionKey,
} from "@conclave/auth/field-cipher";
import { writeAudit } from "@conclave/db/audit/write-audit";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import { totpSecretField } from "./totp-secret-field";

export type DataKeyRotation = {
  activeKid: string;
  /** Fields now under the active key (plaintext ones included). */
  reencrypted: number;
  /** Fields that did not decrypt and were left as they are. */
  failed: number;
  /** Data keys wrapped again under the current KEK. */
  rewrapped: number;
  /** Data keys destroyed because no field uses them any more. */
  retired: string[];
};

export type DataKeyRotationOptions = {
  prisma: PrismaClient;
  kek: KeyEncryptionKey;
  /** The KEK before a KEK rotation, to unwrap keys it still wraps. */
  previousKek?: KeyEncryptionKey;
  /** false: finish an interrupted rotation under the newest key instead of adding one. */
  addKey: boolean;
  now: () => Date;
  operator: string;
  batchSize?: number;
  /** How long requests already under way may still write with the old key. */
  settleMs?: number;
};

export class DataKeyRotationError extends Error {
  override name = "DataKeyRotationError";
}

const FIELD_PREFIX = "cf1";

async function loadAllKeys(
  options: DataKeyRotationOptions,
): Promise<{ keys: DataKey[]; rewrapped: number }> {
  const rows = await options.prisma.dataKey.findMany({
    where: { retiredAt: null },
    orderBy: [{ createdAt: "desc" }, { kid: "desc" }],
  });
  const keks = [options.kek, options.previousKek].filter((kek) => kek !== undefined);
  let rewrapped = 0;
  const keys: DataKey[] = [];
  for (const row of rows) {
    const kek = keks.find((candidate) => candidate.id === row.kekId);
    if (!kek) {
      throw new DataKeyRotationError(
        `data key ${row.kid} is wrapped by KEK ${row.kekId}, which is neither DATA_ENCRYPTION_KEY nor DATA_ENCRYPTION_KEY_PREVIOUS`,
      );
    }
    const key = unwrapDataKey(kek, row.kid, row.wrappedKey);
    if (kek.id !== options.kek.id) {
      await options.prisma.dataKey.update({
        where: { kid: row.kid },
        data: { wrappedKey: wrapDataKey(options.kek, key), kekId: options.kek.id },
      });
      rewrapped++;
    }
    keys.push(key);
  }
  return { keys, rewrapped };
}

// Each batch is its own transaction and each row is written only if it still holds
// what was read, so a crash loses nothing and a re-run carries on where it stopped.
async function reencryptTotpSecrets(
  options: DataKeyRotationOptions,
  ring: DataKeyRing,
): Promise<{ reencrypted: number; failed: number }> {
  const skip: string[] = [];
  let reencrypted = 0;
  for (;;) {
    const rows = await options.prisma.user.findMany({
      where: {
        totpSecret: { not: null },
        NOT: { totpSecret: { startsWith: `${FIELD_PREFIX}.${ring.active.kid}.` } },
        id: { notIn: skip },
      },
      select: { id: true, totpSecret: true },
      orderBy: { id: "asc" },
      take: options.batchSize ?? 100,
    });
    if (rows.length === 0) return { reencrypted, failed: skip.length };
    const updates: { id: string; from: string; to: string }[] = [];
    for (const row of rows) {
      const stored = row.totpSecret ?? "";
      const context = totpSecretField(row.id);
      try {
        const plaintext = fieldKid(stored) === null ? stored : decryptField(ring, context, stored);
        updates.push({ id: row.id, from: stored, to: encryptField(ring, context, plaintext) });
      } catch {
        skip.push(row.id);
      }
    }
    await options.prisma.$transaction(async (tx) => {
      for (const update of updates) {
        const written = await tx.user.updateMany({
          where: { id: update.id, totpSecret: update.from },
          data: { totpSecret: update.to },
        });
        reencrypted += written.count;
      }
    });
  }
}

async function retireUnusedKeys(options: DataKeyRotationOptions, activeKid: string) {
  const retired: string[] = [];
  const candidates = await options.prisma.dataKey.findMany({
    where: { retiredAt: null, kid: { not: activeKid } },
    select: { kid: true },
  });
  for (const { kid } of candidates) {
    const inUse = await options.prisma.user.count({
      where: { totpSecret: { startsWith: `${FIELD_PREFIX}.${kid}.` } },
    });
    if (inUse > 0) continue;
    // The key material goes; the row stays as a record of when it was retired.
    await options.prisma.dataKey.update({
      where: { kid },
      data: { retiredAt: options.now(), wrappedKey: "" },
    });
    retired.push(kid);
  }
  return retired;
}

/**
 * `conclave keys rotate-data`: a new data key (unless resuming), every encrypted field
 * moved under it, keys wrapped by a previous KEK wrapped again, and keys no field uses
 * retired. Audited as keys.rotate_data.
 */
export async function rotateDataKeys(options: DataKeyRotationOptions): Promise<DataKeyRotation> {
  const loaded = await loadAllKeys(options);
  let keys = loaded.keys;
  if (options.addKey || keys.length === 0) {
    const fresh = generateDataKey();
    await options.prisma.dataKey.create({
      data: {
        kid: fresh.kid,
        wrappedKey: wrapDataKey(options.kek, fresh),
        // The database's clock orders keys, for every process alike.
        kekId: options.kek.id,
      },
    });
    keys = [fresh, ...keys];
  }
  const [active] = keys;
  if (!active) throw new DataKeyRotationError("no data key");
  const ring: DataKeyRing = { active, byKid: new Map(keys.map((key) => [key.kid, key])) };
  const first = await reencryptTotpSecrets(options, ring);
  // Servers encrypt with a ring read for each write, so only a request already under
  // way can still write under the old key: wait it out, then sweep once more.
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 5_000));
  const second = await reencryptTotpSecrets(options, ring);
  const retired = await retireUnusedKeys(options, active.kid);
  const result: DataKeyRotation = {
    activeKid: active.kid,
    reencrypted: first.reencrypted + second.reencrypted,
    failed: second.failed,
    rewrapped: loaded.rewrapped,
    retired,
  };
  await options.prisma.$transaction(async (tx) => {
    await writeAudit(tx, {
      actorType: "SYSTEM",
      actorId: `cli:${options.operator}`,
      action: "keys.rotate_data",
      outcome: result.failed === 0 ? "SUCCESS" : "FAILURE",
      targetType: "DataKey",
      targetId: result.activeKid,
      details: {
        kid: result.activeKid,
        reencrypted: result.reencrypted,
        failed: result.failed,
        rewrapped: result.rewrapped,
        retired: result.retired.length,
      },
      ip: null,
      userAgent: null,
      requestId: "cli",
    });
  });
  return result;
}
