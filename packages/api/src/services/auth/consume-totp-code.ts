import { FieldDecryptionError } from "@conclave/auth/field-cipher";
import { verifyTotp } from "@conclave/auth/totp";
import type { DbTransaction, PrismaClient } from "@conclave/db/create-prisma-client";
import type { FieldCipher } from "../../encryption/field-cipher-service";
import { readTotpSecret } from "../../encryption/totp-secret-field";

/**
 * Accepts a TOTP code at most once: the code must verify and its time step must be
 * newer than the last one this user spent (on sign-in or re-authentication). The
 * conditional update makes check-and-spend atomic, so two requests racing with one
 * code cannot both succeed.
 */
export async function consumeTotpCode(
  db: DbTransaction | PrismaClient,
  fields: FieldCipher,
  user: { id: string; totpSecret: string; totpLastUsedStep: number | null },
  code: string,
  now: Date,
): Promise<boolean> {
  let secret: string;
  try {
    secret = await readTotpSecret(fields, user.id, user.totpSecret);
  } catch (error) {
    // Logged by the cipher; for the caller it is a code that does not verify.
    if (error instanceof FieldDecryptionError) return false;
    throw error;
  }
  const factor = verifyTotp(secret, code, {
    now,
    ...(user.totpLastUsedStep === null ? {} : { lastUsedStep: user.totpLastUsedStep }),
  });
  if (!factor.ok) return false;
  const spent = await db.user.updateMany({
    where: {
      id: user.id,
      OR: [{ totpLastUsedStep: null }, { totpLastUsedStep: { lt: factor.step } }],
    },
    data: { totpLastUsedStep: factor.step },
  });
  return spent.count === 1;
}
