import { randomBytes } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { generateTotp } from "@conclave/auth/totp";
import {
  createProcessAbuseProtection,
  type ProcessAbuseProtection,
} from "@conclave/api/abuse/create-process-abuse-protection";
import { systemClock } from "@conclave/api/clock/clock";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { createLogger } from "@conclave/logger/create-logger";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumTool } from "../../scripts/test-services/chromium";
import { provisionedTool } from "../../scripts/test-services/provisioned-tool";
import { closeConsoleHarness } from "./support/close-console-harness";
import { seedConsoleAccount, type ConsoleAccount } from "./support/console-accounts";
import { startConsoleServer, type ConsoleServer } from "./support/console-server";
import { launchConsoleBrowser } from "./support/launch-console-browser";
import { ensureWebBuild } from "./support/web-build";

// The server trusts X-Forwarded-For from 127.0.0.1 only, so each browser below plays
// its own client address (a TEST-NET one) through that header, and a connection from
// 127.0.0.2 is an untrusted peer whose header must be ignored.
const LOGIN_LIMIT = 3;
const BAN_THRESHOLD = 3;
const password = `correct-${randomBytes(6).toString("hex")}`;
const wrongPassword = `wrong-${randomBytes(6).toString("hex")}`;
const invalidMessage = "Email, password or authentication code is wrong.";

let db: TestDatabase;
let prisma: PrismaClient;
let server: ConsoleServer;
let browser: Browser;
let abuse: ProcessAbuseProtection;
const contexts: BrowserContext[] = [];

async function pageFrom(ip: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: server.origin,
    extraHTTPHeaders: { "x-forwarded-for": ip },
  });
  contexts.push(context);
  return context.newPage();
}

function code(account: ConsoleAccount, stepOffset = 0): string {
  return generateTotp(account.totpSecret, new Date(Date.now() + stepOffset * 30_000));
}

/** One sign-in attempt from a fresh sign-in page; returns the message it shows. */
async function attempt(
  page: Page,
  fields: { email: string; password: string; totp: string },
): Promise<string> {
  await page.goto("/signin");
  await page.fill("#email", fields.email);
  await page.fill("#password", fields.password);
  await page.fill("#totp", fields.totp);
  await page.click("button[type=submit]");
  const alert = page.locator("p.form-error");
  // A sign-in that should have been refused lands on the dashboard instead.
  await alert.or(page.locator(".topbar")).waitFor();
  return (await alert.count()) > 0 ? ((await alert.textContent()) ?? "") : "signed in";
}

async function signIn(page: Page, account: ConsoleAccount, stepOffset = 0): Promise<void> {
  await page.goto("/signin");
  await page.fill("#email", account.email);
  await page.fill("#password", account.password);
  await page.fill("#totp", code(account, stepOffset));
  await page.click("button[type=submit]");
  await page.waitForURL("**/dashboard");
}

type Reply = { status: number; body: string };

/** A plain page request over HTTPS from `localAddress`, outside the browser. */
function getFrom(localAddress: string, forwardedFor?: string): Promise<Reply> {
  const port = Number(new URL(server.origin).port);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: "127.0.0.1",
        port,
        path: "/signin",
        servername: "localhost",
        ca: server.ca,
        localAddress,
        agent: false,
        headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/** POST /api/setup/begin as the browser would, for the client `forwardedFor` (via the proxy). */
function postSetup(forwardedFor: string, email: string): Promise<Reply & { retryAfter: string }> {
  const port = Number(new URL(server.origin).port);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/setup/begin",
        servername: "localhost",
        ca: server.ca,
        agent: false,
        headers: {
          "content-type": "application/json",
          origin: server.origin,
          "x-forwarded-for": forwardedFor,
        },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        response.on("end", () => {
          resolve({
            status: response.statusCode ?? 0,
            body,
            retryAfter: response.headers["retry-after"] ?? "",
          });
        });
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify({ email, password: wrongPassword }));
  });
}

const testMeta = { ip: null, userAgent: "vitest", requestId: "console-abuse-test" };

async function allEventText(): Promise<string> {
  const [security, audit] = await Promise.all([
    prisma.securityEvent.findMany(),
    prisma.auditEvent.findMany(),
  ]);
  return JSON.stringify([security, audit], (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}

beforeAll(async () => {
  const executablePath = provisionedTool(chromiumTool);
  ensureWebBuild();
  db = await createTestDatabase();
  prisma = createPrismaClient({ url: db.ownerUrl, max: 2 });
  server = await startConsoleServer(db.appUrl, {
    env: {
      LOG_LEVEL: "info",
      TRUSTED_PROXIES: "127.0.0.1/32",
      RATE_LIMIT_PUBLIC_PER_MINUTE: String(LOGIN_LIMIT),
      AUTH_BAN_THRESHOLD: String(BAN_THRESHOLD),
    },
  });
  // The same Redis keys and database as the server: bans made here are the server's.
  abuse = await createProcessAbuseProtection({
    redisUrl: process.env.REDIS_URL,
    prisma,
    clock: systemClock,
    logger: createLogger({ name: "console-abuse-test", level: "warn" }),
    overrides: { keyPrefix: server.abuseKeyPrefix },
  });
  browser = await launchConsoleBrowser(executablePath, server);
}, 600_000);

afterAll(() => closeConsoleHarness({ browser, server, abuse, prisma, db }));

describe("console abuse protection (Chromium, real Redis)", () => {
  it("limits sign-in attempts per address: past the limit even the right password is refused", async () => {
    const tooMany = /^Too many attempts\. Try again in \d+ seconds?\.$/;
    const windowIndex = () => Math.floor(Date.now() / 60_000);
    // The limit is a sliding window over fixed minutes that weighs the previous minute
    // down as the current one goes on, so right after a minute boundary it rightly
    // admits again; a round that straddles one is repeated (on a fresh network).
    for (let round = 1; ; round += 1) {
      // One /64 counts as one address for limits, while failures (backoff, bans) are
      // counted per exact address: each attempt comes from its own host, so only the
      // per-IP limit can refuse here. Each wrong attempt names another e-mail, so no
      // account backs off either (password spraying).
      const net = `2001:db8:${String(round)}0::`;
      let host = 1;
      const page = await pageFrom(`${net}${String(host)}`);
      const nextHost = async () => {
        host += 1;
        await page.setExtraHTTPHeaders({ "x-forwarded-for": `${net}${String(host)}` });
      };
      const account = await seedConsoleAccount(
        prisma,
        "ADMIN",
        `limited${String(round)}@abuse.test`,
        password,
      );
      // 1: a normal sign-in passes, and counts.
      await signIn(page, account);
      await page.context().clearCookies();
      let attempts = 1;
      let message = invalidMessage;
      let refusedIn = windowIndex();
      while (message === invalidMessage && attempts <= 2 * LOGIN_LIMIT) {
        await nextHost();
        refusedIn = windowIndex();
        message = await attempt(page, {
          email: `spray${String(host)}@abuse.test`,
          password: wrongPassword,
          totp: "123456",
        });
        attempts += 1;
      }
      // Never refused before the limit is spent, and refused once it is.
      expect(attempts).toBeGreaterThan(LOGIN_LIMIT);
      expect(message).toMatch(tooMany);
      // The right password and a fresh code of an account without a single failure.
      await nextHost();
      const correct = await attempt(page, {
        email: account.email,
        password,
        totp: code(account, 1),
      });
      if (windowIndex() !== refusedIn && round < 3) continue;
      expect(correct).toMatch(tooMany);
      expect(page.url()).toContain("/signin");
      expect(
        await prisma.session.count({ where: { subjectType: "USER", subjectId: account.id } }),
      ).toBe(1);

      // Refusals are written in the background; wait for the first one to land.
      const refusals = { kind: "rate_limit.exceeded", ip: { startsWith: net } };
      await expect
        .poll(() => prisma.securityEvent.count({ where: refusals }), { timeout: 15_000 })
        .toBeGreaterThan(0);
      const exceeded = await prisma.securityEvent.findFirstOrThrow({ where: refusals });
      expect(exceeded.details).toMatchObject({ limit: "login", max: LOGIN_LIMIT });
      expect(
        await prisma.securityEvent.count({
          where: { kind: { in: ["auth.backoff_refused", "ip.banned"] }, ip: { startsWith: net } },
        }),
      ).toBe(0);
      break;
    }

    const events = await allEventText();
    expect(events).not.toContain(password);
    expect(events).not.toContain(wrongPassword);
    expect(events).not.toContain("limited1@abuse.test");
    // The server's log saw these requests, but never what was typed.
    expect(server.stdout()).toContain("/api/auth/callback/credentials");
    for (const output of [server.stdout(), server.stderr()]) {
      expect(output).not.toContain(password);
      expect(output).not.toContain(wrongPassword);
      expect(output).not.toContain("limited1@abuse.test");
    }
  });

  it("bans an address after failed sign-ins of every kind, refuses it any page, and admits it once an admin lifts the ban", async () => {
    const ip = "198.51.100.20";
    const target = await seedConsoleAccount(prisma, "ADMIN", "target@abuse.test", password);
    const warden = await seedConsoleAccount(prisma, "ADMIN", "warden@abuse.test", password);
    const watcher = await seedConsoleAccount(prisma, "VIEWER", "watcher@abuse.test", password);
    const intruder = await pageFrom(ip);
    const wrongCode = code(target) === "000000" ? "111111" : "000000";
    const messages = [
      await attempt(intruder, { email: "nobody@abuse.test", password, totp: code(target) }),
      await attempt(intruder, { email: target.email, password: wrongPassword, totp: code(target) }),
      await attempt(intruder, { email: target.email, password, totp: wrongCode }),
    ];
    // Unknown e-mail, wrong password, wrong code: one message, one failure each.
    expect(messages).toEqual([invalidMessage, invalidMessage, invalidMessage]);

    const refused = await intruder.goto("/signin");
    expect(refused?.status()).toBe(403);
    expect(await refused?.text()).toContain("banned");
    const ban = await prisma.ban.findFirstOrThrow({ where: { ip, liftedAt: null } });
    expect(ban.strikes).toBe(1);
    await expect
      .poll(() => prisma.securityEvent.count({ where: { kind: "ip.banned", ip } }), {
        timeout: 15_000,
      })
      .toBe(1);

    // A viewer sees the ban but cannot lift it, in the page or directly.
    const viewerPage = await pageFrom("198.51.100.31");
    await signIn(viewerPage, watcher);
    await viewerPage.goto("/bans");
    await viewerPage.locator(`tr[data-ban-ip="${ip}"]`).waitFor();
    expect(await viewerPage.getByRole("button", { name: "Lift" }).count()).toBe(0);
    const viewerLift = await viewerPage.evaluate(async (bannedIp) => {
      const response = await fetch("/api/trpc/admin.bans.lift", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ip: bannedIp }),
      });
      return response.status;
    }, ip);
    expect(viewerLift).toBe(403);

    const admin = await pageFrom("198.51.100.30");
    await signIn(admin, warden);
    await admin.getByRole("link", { name: "Bans" }).click();
    const row = admin.locator(`tr[data-ban-ip="${ip}"]`);
    await row.waitFor();
    await row.getByRole("button", { name: "Lift" }).click();
    await row.waitFor({ state: "detached" });

    const admitted = await intruder.goto("/signin");
    expect(admitted?.status()).toBe(200);
    const lifted = await prisma.ban.findUniqueOrThrow({ where: { id: ban.id } });
    expect(lifted.liftedBy).toBe(`USER:${warden.id}`);
    expect(await prisma.auditEvent.count({ where: { action: "ban_lift", targetId: ip } })).toBe(1);
    const events = await allEventText();
    expect(events).not.toContain(password);
    expect(events).not.toContain(wrongPassword);
    // Pages, route handlers and server.ts's ban check ran on one runtime (one abuse
    // protection): the bundle's copies of console-runtime.ts never built their own.
    expect(server.stdout().match(/"msg":"console runtime ready"/g)).toHaveLength(1);
  });

  it("makes the first-sign-in setup spend the same per-IP login budget", async () => {
    const net = "2001:db8:99::";
    let reply = { status: 401, body: "", retryAfter: "" };
    let attempts = 0;
    // Hosts of one /64 (one address for the limit, failures apart), e-mails apart.
    while (reply.status === 401 && attempts <= 2 * LOGIN_LIMIT) {
      attempts += 1;
      reply = await postSetup(`${net}${String(attempts)}`, `setup${String(attempts)}@abuse.test`);
    }
    expect(attempts).toBeGreaterThan(LOGIN_LIMIT);
    expect(reply.status).toBe(429);
    expect(Number(reply.retryAfter)).toBeGreaterThan(0);
    expect(JSON.parse(reply.body)).toEqual({ error: `rate_limited:${reply.retryAfter}` });
    await expect
      .poll(
        () =>
          prisma.securityEvent.count({
            where: { kind: "rate_limit.exceeded", ip: { startsWith: net } },
          }),
        { timeout: 15_000 },
      )
      .toBeGreaterThan(0);
  });

  it("believes X-Forwarded-For only from the trusted proxy", async () => {
    const spoofed = "203.0.113.7";
    const untrustedPeer = "127.0.0.2";
    await abuse.abuse.bans.ban({ ip: spoofed, reason: "test", meta: testMeta });
    // Claiming a banned address from an untrusted peer changes nothing for the peer...
    expect((await getFrom(untrustedPeer, spoofed)).status).toBe(200);
    // ...while the trusted proxy's word is taken.
    expect((await getFrom("127.0.0.1", spoofed)).status).toBe(403);

    await abuse.abuse.bans.ban({ ip: untrustedPeer, reason: "test", meta: testMeta });
    // A banned peer cannot talk its way out with another address...
    const spoofing = await getFrom(untrustedPeer, "198.51.100.99");
    expect(spoofing.status).toBe(403);
    expect(spoofing.body).toContain("banned");
    expect((await getFrom(untrustedPeer)).status).toBe(403);
    // ...and its ban does not reach the clients the proxy forwards.
    expect((await getFrom("127.0.0.1", "198.51.100.99")).status).toBe(200);

    const actor = { actorType: "ANONYMOUS" as const, actorId: null };
    await abuse.abuse.bans.liftBan(actor, spoofed, testMeta);
    await abuse.abuse.bans.liftBan(actor, untrustedPeer, testMeta);
    expect((await getFrom(untrustedPeer, spoofed)).status).toBe(200);
    expect((await getFrom("127.0.0.1", spoofed)).status).toBe(200);
  });
});
