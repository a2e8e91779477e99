import { randomBytes } from "node:crypto";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumTool } from "../../scripts/test-services/chromium";
import { provisionedTool } from "../../scripts/test-services/provisioned-tool";
import {
  liveSessionCount,
  seedConsoleAccount,
  signInThroughPage,
  type ConsoleAccount,
} from "./support/console-accounts";
import { startConsoleServer, type ConsoleServer } from "./support/console-server";
import { ensureWebBuild } from "./support/web-build";

type WatchedPage = { context: BrowserContext; page: Page; problems: string[] };

let db: TestDatabase;
let prisma: PrismaClient;
let server: ConsoleServer;
let browser: Browser;
let admin: ConsoleAccount;

// Every CSP violation the page reports (the DOM event, which fires even when Chromium
// does not log it) and every console error.
async function watchedPage(): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL: server.origin });
  // Runs before any page script, through DevTools, so the page's CSP does not apply to it.
  await context.addInitScript({
    content: `document.addEventListener("securitypolicyviolation", (event) => {
      console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
    });`,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return { context, page, problems };
}

// Style attributes as served: the CSP refuses those. (Styles React sets later through
// the DOM are CSSOM changes, which the CSP allows.)
function inlineStyleAttributes(html: string): string[] {
  return html.match(/<[^>]*\sstyle=[^>]*>/g) ?? [];
}

beforeAll(async () => {
  const executablePath = provisionedTool(chromiumTool);
  ensureWebBuild();
  db = await createTestDatabase();
  prisma = createPrismaClient({ url: db.ownerUrl, max: 2 });
  admin = await seedConsoleAccount(
    prisma,
    "ADMIN",
    "ada@signout.test",
    `correct-${randomBytes(6).toString("hex")}`,
  );
  server = await startConsoleServer(db.appUrl);
  browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      `--ignore-certificate-errors-spki-list=${server.spkiHash}`,
    ],
  });
}, 600_000);

// Each may be missing when beforeAll failed part-way.
afterAll(async () => {
  const started = { browser, server, prisma, db } as Partial<{
    browser: Browser;
    server: ConsoleServer;
    prisma: PrismaClient;
    db: TestDatabase;
  }>;
  await started.browser?.close();
  await started.server?.stop();
  await started.prisma?.$disconnect();
  await started.db?.drop();
});

describe("the sign-out page behind GET /api/auth/signout", () => {
  it("renders under the nonce CSP with no inline style and no violation, and its button ends the server session", async () => {
    const { context, page, problems } = await watchedPage();
    await signInThroughPage(page, admin);
    expect(await liveSessionCount(prisma, admin.id)).toBe(1);

    const response = await page.goto("/api/auth/signout");
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    expect(inlineStyleAttributes((await response?.text()) ?? "")).toEqual([]);
    expect(problems).toEqual([]);
    expect(new URL(page.url()).pathname).toBe("/signout");
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toMatch(/style-src[^;]*'nonce-/);
    await page.getByRole("heading", { name: "Sign out" }).waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/signin");
    expect(await liveSessionCount(prisma, admin.id)).toBe(0);
    const revoked = await prisma.session.findFirstOrThrow({ where: { subjectId: admin.id } });
    expect(revoked.revokeReason).toBe("logout");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("tells a visitor without a session that they are not signed in, also CSP-clean", async () => {
    const { context, page, problems } = await watchedPage();
    const response = await page.goto("/api/auth/signout");
    expect(new URL(page.url()).pathname).toBe("/signout");
    expect(response?.status()).toBe(200);
    await page.getByText("You are not signed in.").waitFor();
    expect(inlineStyleAttributes((await response?.text()) ?? "")).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
