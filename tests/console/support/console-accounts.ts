import { hashPassword } from "@conclave/auth/password-hash";
import { generateTotp, generateTotpSecret } from "@conclave/auth/totp";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { Page } from "playwright-core";

export type ConsoleAccount = { id: string; email: string; password: string; totpSecret: string };

/** An enrolled console user (password + TOTP), ready to sign in. */
export async function seedConsoleAccount(
  prisma: PrismaClient,
  role: "ADMIN" | "VIEWER",
  email: string,
  password: string,
): Promise<ConsoleAccount> {
  const totpSecret = generateTotpSecret();
  const user = await prisma.user.create({
    data: { email, role, passwordHash: await hashPassword(password), totpSecret },
  });
  return { id: user.id, email, password, totpSecret };
}

/** Signs in through the sign-in page and waits for the dashboard. */
export async function signInThroughPage(page: Page, account: ConsoleAccount): Promise<void> {
  await page.goto("/signin");
  await page.fill("#email", account.email);
  await page.fill("#password", account.password);
  await page.fill("#totp", generateTotp(account.totpSecret, new Date()));
  await page.click("button[type=submit]");
  await page.waitForURL("**/dashboard");
}

/** Sessions of a console account that are not revoked. */
export function liveSessionCount(prisma: PrismaClient, userId: string): Promise<number> {
  return prisma.session.count({ where: { subjectId: userId, revokedAt: null } });
}
