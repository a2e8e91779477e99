import {
  decryptField,
  encryptField,
  FieldDecryptionError,
  fieldKid,
  generateDataKey,
  unwrapDataKey,
  wrapDataKey,
  type DataKey,
  type DataKeyRing,
  type FieldContext,
  type KeyEncryptionKey,
} from "@conclave/auth/field-cipher";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { Logger } from "@conclave/logger/create-logger";
import type { Clock } from "../clock/clock";

/** Encrypts and decrypts sensitive columns with the data keys stored in DataKey. */
export type FieldCipher = {
  encrypt(context: FieldContext, plaintext: string): Promise<string>;
  decrypt(context: FieldContext, stored: string): Promise<string>;
};

// Another process (`conclave keys rotate-data`) may add the newest key at any time: for
// reading, the ring is re-read at most this often, and at once for a key it lacks.
const RING_MAX_AGE_MS = 30_000;

/** The live data keys, newest first, unwrapped with the KEK; a first key when there is none. */
export async function loadDataKeyRing(
  prisma: PrismaClient,
  kek: KeyEncryptionKey,
): Promise<DataKeyRing> {
  let rows = await prisma.dataKey.findMany({
    where: { retiredAt: null },
    orderBy: [{ createdAt: "desc" }, { kid: "desc" }],
  });
  if (rows.length === 0) {
    const first = generateDataKey();
    await prisma.dataKey.create({
      data: { kid: first.kid, wrappedKey: wrapDataKey(kek, first), kekId: kek.id },
    });
    rows = await prisma.dataKey.findMany({
      where: { retiredAt: null },
      orderBy: [{ createdAt: "desc" }, { kid: "desc" }],
    });
  }
  const keys: DataKey[] = rows.map((row) => unwrapDataKey(kek, row.kid, row.wrappedKey));
  const [active] = keys;
  if (!active) throw new Error("no data key could be loaded");
  return { active, byKid: new Map(keys.map((key) => [key.kid, key])) };
}

export function createFieldCipher(options: {
  prisma: PrismaClient;
  kek: KeyEncryptionKey;
  clock: Clock;
  logger: Logger;
}): FieldCipher {
  let ring: { value: DataKeyRing; loadedAt: number } | undefined;
  let loading: Promise<DataKeyRing> | undefined;
  const load = (): Promise<DataKeyRing> => {
    loading ??= loadDataKeyRing(options.prisma, options.kek)
      .then((value) => {
        ring = { value, loadedAt: options.clock.now().getTime() };
        return value;
      })
      .catch((error: unknown) => {
        // Keep serving with the keys already held (a KEK rotation in progress, a
        // database hiccup); without any, the caller's request fails.
        if (!ring) throw error;
        options.logger.error({ err: error }, "data key ring reload failed; keeping the old ring");
        return ring.value;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
  const current = async (): Promise<DataKeyRing> => {
    const fresh = ring && options.clock.now().getTime() - ring.loadedAt < RING_MAX_AGE_MS;
    return fresh && ring ? ring.value : load();
  };
  return {
    // Writes are rare (an enrolment): each reads the ring, so none lands under a key
    // that a rotation has just superseded (see rotate-data-keys.ts).
    async encrypt(context, plaintext) {
      return encryptField(await load(), context, plaintext);
    },
    async decrypt(context, stored) {
      const held = await current();
      const kid = fieldKid(stored);
      const usable = kid !== null && held.byKid.has(kid) ? held : await load();
      try {
        return decryptField(usable, context, stored);
      } catch (error) {
        // A stored value that does not open was altered or moved: worth an operator's look.
        if (error instanceof FieldDecryptionError)
          options.logger.error({ where: error.where, reason: error.reason }, error.message);
        throw error;
      }
    },
  };
}
