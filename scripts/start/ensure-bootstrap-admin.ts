// The first console account. Its one-time password is handed to `show` exactly
// once, when the account is created; it never reaches a log or the audit row.
import { randomBytes } from "node:crypto";
import { hashPassword } from "@conclave/auth/password-hash";
import { writeAudit } from "@conclave/db/audit/write-audit";
import { createPrismaClient } from "@conclave/db/create-prisma-client";

export const bootstrapAdminEmail = "admin@conclave.local";

export interface BootstrapCredentials {
  email: string;
  password: string;
}

export async function ensureBootstrapAdmin(
  databaseUrl: string,
  show: (credentials: BootstrapCredentials) => void,
): Promise<void> {
  const prisma = createPrismaClient({ url: databaseUrl, max: 1 });
  try {
    if ((await prisma.user.count()) > 0) return;
    const password = randomBytes(18).toString("base64url");
    const passwordHash = await hashPassword(password);
    const created = await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email: bootstrapAdminEmail,
          passwordHash,
          role: "ADMIN",
          mustChangeCredentials: true,
        },
      });
      await writeAudit(tx, {
        actorType: "system",
        action: "system.bootstrap",
        targetType: "user",
        targetId: user.id,
        outcome: "SUCCESS",
        details: { email: user.email, role: user.role },
      });
      return user;
    });
    show({ email: created.email, password });
  } finally {
    await prisma.$disconnect();
  }
}
