import { readFile } from "node:fs/promises";
import {
  activeKey,
  parseKeyring,
  pruneKeyring,
  rotateKeyring,
  serializeKeyring,
} from "@conclave/auth/jwt-keyring";
import { writePrivateFileAtomically } from "@conclave/config/write-private-file-atomically";
import { writeAudit } from "@conclave/db/audit/write-audit";
import type { PrismaClient } from "@conclave/db/create-prisma-client";

export interface KeysRotateOptions {
  readonly prisma: PrismaClient;
  /** JWT_KEYRING_FILE: replaced atomically (mode 0600). */
  readonly keyringFile: string;
  readonly now: Date;
  /** Who ran it, for the audit row (e.g. the operator's OS user). */
  readonly operator: string;
}

export interface KeysRotateResult {
  readonly kid: string;
  readonly retiredKid: string;
  /** Retired keys dropped because every token they signed has expired. */
  readonly pruned: number;
}

/**
 * `conclave keys rotate`: retires the active signing key (it keeps verifying until its
 * tokens have expired), adds a new one, prunes keys past their grace, and rewrites the
 * keyring file. Running servers start signing with the new key on SIGHUP (or restart).
 *
 * The file is replaced inside the audit row's transaction, after the audit chain lock is
 * held: two rotations cannot interleave, and a failed write leaves no audit row.
 */
export async function keysRotate(options: KeysRotateOptions): Promise<KeysRotateResult> {
  return options.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('conclave:keys-rotate'))`;
    const current = await parseKeyring(await readFile(options.keyringFile, "utf8"));
    const retiredKid = activeKey(current).kid;
    const rotated = await rotateKeyring(current, options.now);
    const next = pruneKeyring(rotated, options.now);
    const kid = activeKey(next).kid;
    const pruned = rotated.keys.length - next.keys.length;
    await writeAudit(tx, {
      actorType: "SYSTEM",
      actorId: `cli:${options.operator}`,
      action: "keys.rotate",
      targetType: "jwt_keyring",
      targetId: kid,
      outcome: "SUCCESS",
      details: { kid, retiredKid, pruned, keyCount: next.keys.length },
    });
    await writePrivateFileAtomically(options.keyringFile, serializeKeyring(next));
    return { kid, retiredKid, pruned };
  });
}
