import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import path from "node:path";
import { decryptField, deriveKeyEncryptionKey } from "@conclave/auth/field-cipher";
import { hashPassword } from "@conclave/auth/password-hash";
import { generateTotp } from "@conclave/auth/totp";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataKeyRing } from "@conclave/api/encryption/field-cipher-service";
import { totpSecretField } from "@conclave/api/encryption/totp-secret-field";
import { chromiumTool } from "../../scripts/test-services/chromium";
import { provisionedTool } from "../../scripts/test-services/provisioned-tool";
import { closeConsoleHarness } from "./support/close-console-harness";
import { seedConsoleAccount, type ConsoleAccount } from "./support/console-accounts";
import {
  consoleTestDataEncryptionKey,
  startConsoleServer,
  type ConsoleServer,
} from "./support/console-server";
import { launchConsoleBrowser } from "./support/launch-console-browser";
import { ensureWebBuild } from "./support/web-build";

const screenshotDir = path.resolve(import.meta.dirname, "../../test-results/screenshots");
const hostile = `<img src=x onerror=alert(1)><script>alert(2)</script>`;
const password = "correct horse battery staple";

let db: TestDatabase;
let prisma: PrismaClient;
let server: ConsoleServer;
let browser: Browser;
const dialogs: string[] = [];
const cspViolations: string[] = [];
let admin: ConsoleAccount;
let viewer: ConsoleAccount;
let adminPage: Page;
let adminContext: BrowserContext;

async function seedTransaction(vaultId: string, memo: string): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  await prisma.transaction.create({
    data: {
      id,
      vaultId,
      chain: "bitcoin",
      network: "testnet",
      destination: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
      amount: "12345",
      memo,
      digest: "ab".repeat(32),
      maxAttempts: 3,
      createdByType: "USER",
      createdByActor: admin.id,
      createdById: admin.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
    },
  });
  return id;
}

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.origin });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) cspViolations.push(message.text());
  });
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { context, page };
}

// `stepOffset` 1 uses the next 30 s step's code, which the server's window accepts: a
// second sign-in of one account needs a later step than the first (replay guard).
async function submitSignIn(page: Page, account: ConsoleAccount, code: string): Promise<void> {
  await page.goto("/signin");
  await page.fill("#email", account.email);
  await page.fill("#password", account.password);
  await page.fill("#totp", code);
  await page.click("button[type=submit]");
}

async function signIn(page: Page, account: ConsoleAccount, stepOffset = 0): Promise<string> {
  const code = generateTotp(account.totpSecret, new Date(Date.now() + stepOffset * 30_000));
  await submitSignIn(page, account, code);
  await page.waitForURL("**/dashboard");
  return code;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

// Outside the browser, so the Origin header can be forged; the server's CA is pinned.
async function postWithCookies(
  context: BrowserContext,
  procedure: string,
  headers: Record<string, string>,
  body: string,
): Promise<number> {
  const cookie = (await context.cookies())
    .map((entry) => `${entry.name}=${entry.value}`)
    .join("; ");
  const url = new URL(`/api/trpc/${procedure}`, server.origin);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      url,
      { method: "POST", ca: server.ca, headers: { ...headers, cookie } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function callTrpc(page: Page, procedure: string, input: unknown, method: "GET" | "POST") {
  return page.evaluate(
    async ({ procedure, input, method }) => {
      const url =
        method === "GET" && input !== undefined
          ? `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`
          : `/api/trpc/${procedure}`;
      const response = await fetch(url, {
        method,
        headers: method === "POST" ? { "content-type": "application/json" } : {},
        ...(method === "POST" ? { body: JSON.stringify(input) } : {}),
      });
      return { status: response.status, body: await response.text() };
    },
    { procedure, input, method },
  );
}

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  const executablePath = provisionedTool(chromiumTool);
  ensureWebBuild();
  db = await createTestDatabase();
  prisma = createPrismaClient({ url: db.ownerUrl, max: 2 });
  admin = await seedConsoleAccount(prisma, "ADMIN", "ada@conclave.test", password);
  viewer = await seedConsoleAccount(prisma, "VIEWER", "vic@conclave.test", password);
  // About ten sign-ins from 127.0.0.1 within a minute would meet the default per-IP
  // login limit; console-abuse.test.ts covers the limits themselves.
  server = await startConsoleServer(db.appUrl, { env: { RATE_LIMIT_PUBLIC_PER_MINUTE: "100" } });
  browser = await launchConsoleBrowser(executablePath, server);
  ({ context: adminContext, page: adminPage } = await newPage());
}, 600_000);

afterAll(() => closeConsoleHarness({ browser, server, prisma, db }));

describe("console in Chromium", () => {
  it("serves every page with a nonce CSP and the security headers", async () => {
    const { context, page } = await newPage();
    const response = await page.goto("/signin");
    expect(response?.status()).toBe(200);
    const headers = response?.headers() ?? {};
    const csp = headers["content-security-policy"] ?? "";
    const nonce = /script-src[^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["x-powered-by"]).toBeUndefined();
    // Next stamps its scripts with this request's nonce; none runs without it.
    const scriptNonces = await page.evaluate<string[]>(
      "Array.from(document.scripts).map((script) => script.nonce)",
    );
    expect(scriptNonces.length).toBeGreaterThan(0);
    expect(scriptNonces.every((value) => value === nonce)).toBe(true);
    const second = await page.goto("/signin");
    expect(second?.headers()["content-security-policy"]).not.toBe(csp);
    await shot(page, "signin");
    await context.close();
  });

  it("gives one error for an unknown email and a wrong password", async () => {
    const { context, page } = await newPage();
    const messages: string[] = [];
    for (const [email, secret] of [
      ["nobody@conclave.test", password],
      [admin.email, "wrong password entirely"],
    ] as const) {
      await page.goto("/signin");
      await page.fill("#email", email);
      await page.fill("#password", secret);
      await page.fill("#totp", "123456");
      await page.click("button[type=submit]");
      const alert = page.locator("p.form-error");
      await alert.waitFor();
      messages.push((await alert.textContent()) ?? "");
      await page.reload();
    }
    expect(messages[0]).toMatch(/wrong/);
    expect(messages[1]).toBe(messages[0]);
    const failures = await prisma.auditEvent.count({ where: { action: "user_login_failed" } });
    expect(failures).toBeGreaterThanOrEqual(2);
    await context.close();
  });

  it("enrols the first admin: new password, TOTP from the QR's manual key, then signed in", async () => {
    const email = "first@conclave.test";
    const oneTime = "one-time-password-1234";
    await prisma.user.create({
      data: {
        email,
        role: "ADMIN",
        passwordHash: await hashPassword(oneTime),
        mustChangeCredentials: true,
      },
    });
    const { context, page } = await newPage();
    await page.goto("/signin");
    await page.fill("#email", email);
    await page.fill("#password", oneTime);
    await page.click("button[type=submit]");
    const manualKey = (await page.getByTestId("manual-key").textContent()) ?? "";
    expect(manualKey).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.locator("figure.qr svg path").getAttribute("d")).toMatch(/^M\d/);
    await shot(page, "first-sign-in-enrolment");
    await page.fill("#new-password", "a brand new long password");
    await page.fill("#confirm-password", "a brand new long password");
    await page.fill("#totp", generateTotp(manualKey, new Date()));
    await page.click("button[type=submit]");
    await page.waitForURL("**/dashboard");
    const user = await prisma.user.findUniqueOrThrow({ where: { email } });
    expect(user.mustChangeCredentials).toBe(false);
    // Stored encrypted under a data key the console's KEK unwraps, bound to this row;
    // a dump of the database holds the account but not the secret.
    const stored = user.totpSecret ?? "";
    expect(stored).not.toContain(manualKey);
    const ring = await loadDataKeyRing(
      prisma,
      deriveKeyEncryptionKey(consoleTestDataEncryptionKey),
    );
    expect(decryptField(ring, totpSecretField(user.id), stored)).toBe(manualKey);
    const dump = execFileSync(
      path.join(
        process.env.CONCLAVE_TEST_POSTGRES_CLIENT_BIN ?? "/usr/lib/postgresql/15/bin",
        "pg_dump",
      ),
      ["--data-only", "--dbname", db.superuserUrl],
      { maxBuffer: 64 * 1024 * 1024 },
    ).toString();
    expect(dump).toContain(email);
    expect(dump).not.toContain(manualKey);
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === "__Host-conclave.session");
    expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: "Strict" });
    await context.close();
  });

  it("lets an admin sign in with TOTP, create a vault and an invitation, and see both audited", async () => {
    await signIn(adminPage, admin);
    await adminPage.locator(".cards").waitFor();
    const session = await prisma.session.findMany({
      where: { subjectType: "USER", subjectId: admin.id, revokedAt: null },
    });
    expect(session).toHaveLength(1);

    await adminPage.goto("/vaults");
    await adminPage.fill("#vault-name", `Treasury ${hostile}`);
    await adminPage.selectOption("#vault-network", "testnet");
    await adminPage.click("form[aria-label='Create vault'] button[type=submit]");
    const link = adminPage.locator("a.vault-name", { hasText: "Treasury" });
    await link.waitFor();
    expect(await link.textContent()).toBe(`Treasury ${hostile}`);
    await shot(adminPage, "vaults");

    await link.click();
    await adminPage.waitForURL("**/vaults/*");
    await adminPage.getByRole("button", { name: "Create invitation" }).click();
    const code = (await adminPage.getByTestId("one-time-secret").textContent()) ?? "";
    expect(code.length).toBeGreaterThan(20);
    await shot(adminPage, "vault-detail");
    // A second invitation, revoked from the list.
    await adminPage.getByRole("button", { name: "Done" }).click();
    await adminPage.getByRole("button", { name: "Create invitation" }).click();
    await adminPage.getByTestId("one-time-secret").waitFor();
    await adminPage.getByRole("button", { name: "Revoke" }).first().click();
    await adminPage.locator(".badge", { hasText: "REVOKED" }).waitFor();

    await adminPage.goto("/audit");
    await adminPage.locator("tr[data-action='invitation.revoke']").waitFor();
    expect(await adminPage.locator("tr[data-action='invitation.create']").count()).toBe(2);
    expect(await adminPage.locator("tr[data-action='vault.create']").count()).toBe(1);
    expect(await adminPage.locator("tr[data-action='user.login']").count()).toBeGreaterThan(0);
    // Typed details read as a sentence; the vault name stays text.
    expect(await adminPage.locator("tr[data-action='vault.create'] td.details").textContent()).toBe(
      `vault "Treasury ${hostile}" created, 2-of-3 on bitcoin testnet`,
    );
    expect(
      await adminPage.locator("tr[data-action='invitation.revoke'] td.details").textContent(),
    ).toMatch(/^invitation [0-9a-f]{8} revoked$/);
    // The code itself never reaches the audit log.
    expect(await adminPage.locator("table.audit").textContent()).not.toContain(code);
    await adminPage.getByRole("button", { name: "Verify chain" }).click();
    await expect
      .poll(() => adminPage.getByTestId("chain-verdict").textContent())
      .toMatch(/Chain intact/);
    await shot(adminPage, "audit");
    await adminPage.selectOption("#audit-action", "vault.create");
    await adminPage.click("form[aria-label='Filter audit log'] button[type=submit]");
    const rows = adminPage.locator("table.audit tbody tr");
    await expect
      .poll(async () =>
        Promise.all((await rows.all()).map((row) => row.getAttribute("data-action"))),
      )
      .toEqual(["vault.create"]);
    await adminPage.goto("/dashboard");
    await adminPage.locator("main table").waitFor();
    await shot(adminPage, "dashboard");
    for (const name of ["security", "sessions", "api-keys", "users"]) {
      await adminPage.goto(`/${name}`);
      await adminPage.locator("table").first().waitFor();
      await shot(adminPage, name);
    }
  });

  it("renders hostile vault names and API key names as text; no dialog fires", async () => {
    await adminPage.goto("/api-keys");
    await adminPage.fill("#key-name", hostile);
    await adminPage.getByLabel("users:read").check();
    await adminPage.click("form[aria-label='Create API key'] button[type=submit]");
    await adminPage.getByTestId("one-time-secret").waitFor();
    await adminPage.locator("td", { hasText: "<script>" }).first().waitFor();
    for (const target of ["/api-keys", "/vaults", "/dashboard"]) {
      await adminPage.goto(target);
      await adminPage.locator("main table, main .cards").first().waitFor();
      expect(await adminPage.locator("main img").count()).toBe(0);
      expect(await adminPage.locator("main script").count()).toBe(0);
    }
    const vault = await prisma.vault.findFirstOrThrow();
    await adminPage.goto(`/vaults/${vault.id}`);
    await adminPage.locator("h1.vault-title").waitFor();
    expect(await adminPage.locator("h1.vault-title").textContent()).toBe(`Treasury ${hostile}`);
    expect(await adminPage.locator("main img").count()).toBe(0);

    // A memo reaches the console only through the coordination core's validators;
    // stored here directly so the page is tested against the worst a row can hold.
    const transactionId = await seedTransaction(vault.id, `pay ${hostile}`);
    await adminPage.goto(`/vaults/${vault.id}`);
    const memoCell = adminPage.locator("table.transactions td.memo");
    await memoCell.waitFor();
    expect(await memoCell.textContent()).toBe(`pay ${hostile}`);
    await adminPage.goto(`/vaults/${vault.id}/transactions/${transactionId}`);
    await adminPage.locator("dd.memo").waitFor();
    expect(await adminPage.locator("dd.memo").textContent()).toBe(`pay ${hostile}`);
    expect(await adminPage.locator("main img").count()).toBe(0);
    await shot(adminPage, "transaction-detail");
    await adminPage.goto("/transactions");
    await adminPage.locator("table.transactions td.memo").waitFor();
    await shot(adminPage, "transactions");
    expect(dialogs).toEqual([]);
  });

  it("shows a viewer the vault read-only and refuses every mutation, in the UI and directly", async () => {
    const { context, page } = await newPage();
    await signIn(page, viewer);
    await page.goto("/vaults");
    await page.locator("a.vault-name", { hasText: "Treasury" }).waitFor();
    expect(await page.locator("form[aria-label='Create vault']").count()).toBe(0);
    await shot(page, "viewer-vaults");
    await page.locator("a.vault-name").first().click();
    await page.locator("h1.vault-title").waitFor();
    await page.locator("h2", { hasText: "Invitations" }).waitFor();
    expect(await page.getByRole("button", { name: "Create invitation" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Revoke" }).count()).toBe(0);
    await page.goto("/users");
    await page.locator("table").waitFor();
    expect(await page.locator("form[aria-label='Create user']").count()).toBe(0);

    const vault = await prisma.vault.findFirstOrThrow();
    const invitation = await prisma.invitation.findFirstOrThrow();
    const transaction = await prisma.transaction.findFirstOrThrow();
    await page.goto(`/vaults/${vault.id}/transactions/${transaction.id}`);
    await page.locator("dd.memo").waitFor();
    expect(await page.getByRole("button", { name: "Cancel transaction" }).count()).toBe(0);
    const mutations: [string, unknown][] = [
      [
        "admin.vaults.create",
        { name: "x", chain: "bitcoin", network: "testnet", threshold: 2, guardianCount: 3 },
      ],
      ["admin.vaults.disable", { vaultId: vault.id, confirmName: vault.name, password }],
      ["admin.vaults.delete", { vaultId: vault.id, confirmName: vault.name, password }],
      ["admin.invitations.create", { vaultId: vault.id }],
      ["admin.invitations.revoke", { invitationId: invitation.id }],
      ["admin.apiKeys.create", { name: "k", scopes: ["users:read"], expiresInDays: 1 }],
      ["admin.sessions.revoke", { sessionId: invitation.id }],
      ["admin.users.create", { email: "new@conclave.test", role: "ADMIN" }],
      ["admin.users.disable", { userId: admin.id }],
      ["admin.transactions.cancel", { vaultId: vault.id, transactionId: transaction.id }],
      [
        "admin.transactions.create",
        {
          vaultId: vault.id,
          fields: {
            chain: "bitcoin",
            network: "testnet",
            destination: transaction.destination,
            amount: "1",
            memo: "",
          },
        },
      ],
    ];
    for (const [procedure, input] of mutations) {
      const reply = await callTrpc(page, procedure, input, "POST");
      expect({ procedure, status: reply.status }).toEqual({ procedure, status: 403 });
      expect(reply.body).not.toMatch(/at \w+ \(|\.ts:\d+/);
    }
    const read = await callTrpc(page, "admin.vaults.list", undefined, "GET");
    expect(read.status).toBe(200);
    expect(await prisma.transaction.count({ where: { status: "PENDING" } })).toBe(1);
    expect(await prisma.vault.count()).toBe(1);
    expect(await prisma.user.count({ where: { role: "ADMIN", disabledAt: null } })).toBe(2);
    await context.close();
  });

  it("refuses cookie-borne mutations from another origin or without a JSON body", async () => {
    const vaultInput = {
      name: "csrf",
      chain: "bitcoin",
      network: "testnet",
      threshold: 2,
      guardianCount: 3,
    };
    const body = JSON.stringify(vaultInput);
    const json = { "content-type": "application/json" };
    const procedure = "admin.vaults.create";
    expect(
      await postWithCookies(
        adminContext,
        procedure,
        { ...json, origin: "https://evil.example" },
        body,
      ),
    ).toBe(403);
    expect(await postWithCookies(adminContext, procedure, json, body)).toBe(403);
    expect(
      await postWithCookies(
        adminContext,
        procedure,
        { origin: server.origin, "content-type": "text/plain" },
        body,
      ),
    ).toBe(403);
    // Same origin and JSON pass the gate and reach validation (threshold > n).
    expect(
      await postWithCookies(
        adminContext,
        procedure,
        { ...json, origin: server.origin },
        JSON.stringify({ ...vaultInput, threshold: 9 }),
      ),
    ).toBe(400);
    expect(await prisma.vault.count({ where: { name: "csrf" } })).toBe(0);
  });

  it("cancels a transaction from its detail page, audited", async () => {
    const transaction = await prisma.transaction.findFirstOrThrow();
    await adminPage.goto(`/vaults/${transaction.vaultId}/transactions/${transaction.id}`);
    await adminPage.getByRole("button", { name: "Cancel transaction" }).click();
    await adminPage.locator("dd .badge", { hasText: "CANCELLED" }).waitFor();
    const audited = await prisma.auditEvent.count({
      where: { action: "transaction_cancel", targetId: transaction.id },
    });
    expect(audited).toBe(1);
  });

  it("lists guardians with their vaults and revokes a guardian session", async () => {
    const vault = await prisma.vault.findFirstOrThrow();
    const guardian = await prisma.guardian.create({
      data: { identityPublicKey: "cd".repeat(32), displayName: `Grace ${hostile}` },
    });
    await prisma.vaultMembership.create({
      data: { vaultId: vault.id, guardianId: guardian.id, role: "GUARDIAN", guardianIndex: 1 },
    });
    const now = new Date();
    const session = await prisma.session.create({
      data: {
        id: randomUUID(),
        subjectType: "GUARDIAN",
        subjectId: guardian.id,
        deviceName: "laptop",
        createdAt: now,
        lastActivityAt: now,
        expiresAt: new Date(now.getTime() + 3_600_000),
      },
    });
    await adminPage.goto("/guardians");
    await adminPage.locator("td", { hasText: "Grace" }).waitFor();
    expect(await adminPage.locator("td", { hasText: "Grace" }).first().textContent()).toBe(
      `Grace ${hostile}`,
    );
    await adminPage.getByRole("button", { name: "Sessions" }).click();
    await adminPage.locator("td", { hasText: "laptop" }).waitFor();
    await shot(adminPage, "guardians");
    await adminPage.getByRole("button", { name: "Revoke" }).click();
    await expect
      .poll(
        async () =>
          (await prisma.session.findUniqueOrThrow({ where: { id: session.id } })).revokeReason,
      )
      .toBe("revoked_by_admin");
    expect(dialogs).toEqual([]);
  });

  it("disables a vault only with its name typed again and a fresh password", async () => {
    const vault = await prisma.vault.findFirstOrThrow();
    const bare = await callTrpc(
      adminPage,
      "admin.vaults.disable",
      { vaultId: vault.id, confirmName: vault.name },
      "POST",
    );
    // The name alone is not enough: the procedure asks for a fresh credential.
    expect(bare.status).toBe(400);

    await adminPage.goto(`/vaults/${vault.id}`);
    const form = adminPage.locator("form[aria-label='disable vault']");
    await form.waitFor();
    await form.locator("#retire-disable").fill(vault.name);
    await form.locator("#retire-disable-proof").fill("not my password at all");
    await form.getByRole("button", { name: "Disable vault" }).click();
    await expect
      .poll(() => form.locator("#retire-disable-proof-error").textContent())
      .toMatch(/wrong/);
    expect((await prisma.vault.findUniqueOrThrow({ where: { id: vault.id } })).status).not.toBe(
      "DISABLED",
    );
    await form.locator("#retire-disable-proof").fill(password);
    await form.getByRole("button", { name: "Disable vault" }).click();
    await adminPage.locator("dd .badge", { hasText: "DISABLED" }).waitFor();
    await shot(adminPage, "vault-disabled");
    expect(
      await prisma.auditEvent.count({ where: { action: "vault_disable", targetId: vault.id } }),
    ).toBe(1);
    expect(
      await prisma.securityEvent.count({ where: { kind: "console.reauthentication_failed" } }),
    ).toBe(1);
  });

  it("lets an admin add a viewer who enrols at first sign-in, and disabling it ends its session", async () => {
    await adminPage.goto("/users");
    await adminPage.fill("#user-email", "newbie@conclave.test");
    await adminPage.selectOption("#user-role", "VIEWER");
    await adminPage.click("form[aria-label='Create user'] button[type=submit]");
    const oneTime = (await adminPage.getByTestId("one-time-secret").textContent()) ?? "";
    expect(oneTime.length).toBeGreaterThanOrEqual(20);
    await shot(adminPage, "users-created");

    const { context, page } = await newPage();
    await page.goto("/signin");
    await page.fill("#email", "newbie@conclave.test");
    await page.fill("#password", oneTime);
    await page.click("button[type=submit]");
    const manualKey = (await page.getByTestId("manual-key").textContent()) ?? "";
    await page.fill("#new-password", "newbie's own long password");
    await page.fill("#confirm-password", "newbie's own long password");
    await page.fill("#totp", generateTotp(manualKey, new Date()));
    await page.click("button[type=submit]");
    await page.waitForURL("**/dashboard");
    await page.locator(".badge.role-viewer").waitFor();

    await adminPage.reload();
    const row = adminPage.locator("tr", { hasText: "newbie@conclave.test" });
    await row.getByRole("button", { name: "Disable" }).click();
    await row.locator("td", { hasText: "disabled" }).waitFor();
    await page.goto("/dashboard");
    await page.waitForURL("**/signin");
    await context.close();
  });

  it("shows a validation error beside its field", async () => {
    await adminPage.goto("/vaults");
    await adminPage.fill("#vault-name", "Too strict");
    await adminPage.fill("#vault-threshold", "5");
    await adminPage.fill("#vault-guardians", "3");
    await adminPage.click("form[aria-label='Create vault'] button[type=submit]");
    await expect
      .poll(() => adminPage.locator("#vault-threshold-error").textContent())
      .toMatch(/threshold/);
  });

  it("logs a session out on its next request once another session revokes it", async () => {
    await adminPage.goto("/audit");
    await adminPage.locator("table.audit").waitFor();
    const { context, page } = await newPage();
    const code = await signIn(page, admin, 1);

    // The same code once more is a replay, refused although it is still in the window.
    const replay = await newPage();
    await submitSignIn(replay.page, admin, code);
    await replay.page.locator("p.form-error").waitFor();
    expect(await replay.page.locator("p.form-error").textContent()).toMatch(/wrong/);
    await replay.context.close();

    await page.goto("/sessions");
    const others = page.locator("tr[data-session-id]", {
      has: page.getByRole("button", { name: "Revoke" }),
    });
    await others.first().waitFor();
    expect(await others.count()).toBe(1);
    await shot(page, "sessions-two-live");
    await others.first().getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => others.count()).toBe(0);

    // The open page's next call gets a 401 and the console sends it to sign-in.
    await adminPage.getByRole("button", { name: "Verify chain" }).click();
    await adminPage.waitForURL("**/signin?ended=1");
    await adminPage.getByText("Your session has ended").waitFor();
    const direct = await callTrpc(adminPage, "sessions.list", undefined, "GET");
    expect(direct.status).toBe(401);
    await adminPage.goto("/dashboard");
    await adminPage.waitForURL("**/signin");
    await page.goto("/dashboard");
    expect(page.url()).toContain("/dashboard");
    await context.close();
  });

  it("ran every page above without a single CSP violation or dialog", () => {
    expect(cspViolations).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
