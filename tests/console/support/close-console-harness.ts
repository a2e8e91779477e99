import type { ProcessAbuseProtection } from "@conclave/api/abuse/create-process-abuse-protection";
import type { PrismaClient } from "@conclave/db/create-prisma-client";
import type { TestDatabase } from "@conclave/db/testing/create-test-database";
import type { Browser } from "playwright-core";
import type { ConsoleServer } from "./console-server";

type ConsoleHarness = {
  browser: Browser;
  server: ConsoleServer;
  abuse: ProcessAbuseProtection;
  prisma: PrismaClient;
  db: TestDatabase;
};

/**
 * Stops what a console test started, the browser first and the database last. Each part
 * may be missing when beforeAll failed part-way.
 */
export async function closeConsoleHarness(started: Partial<ConsoleHarness>): Promise<void> {
  await started.browser?.close();
  await started.server?.stop();
  await started.abuse?.close();
  await started.prisma?.$disconnect();
  await started.db?.drop();
}
