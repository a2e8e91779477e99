import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import {
  activeKey,
  parseKeyring,
  pruneKeyring,
  rotateKeyring,
  serializeKeyring,
} from "@conclave/auth/jwt-keyring";
import { writeAudit } from "@conclave/db/audit/write-audit";
import type { PrismaClient } from "@conclave/db/create-prisma-client";

export interface KeysRotateOptions {
  readonly prisma: PrismaClient;
  /** JWT_KEYRING_FILE: rewritten in place. */
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

/** Replaces `file` with `content` (mode 0600) so a reader sees the old or the new file, never half. */
async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`,
  );
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
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
      details: { kid, retiredKid, pruned, keys: next.keys.length },
    });
    await writeFileAtomically(options.keyringFile, serializeKeyring(next));
    return { kid, retiredKid, pruned };
  });
}
