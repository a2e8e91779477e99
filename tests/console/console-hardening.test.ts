import { randomBytes } from "node:crypto";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { encode } from "next-auth/jwt";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consoleRoot } from "../../packages/api/src/routers/console-root";
import { chromiumTool } from "../../scripts/test-services/chromium";
import { provisionedTool } from "../../scripts/test-services/provisioned-tool";
import { closeConsoleHarness } from "./support/close-console-harness";
import {
  liveSessionCount,
  seedConsoleAccount,
  signInThroughPage,
  type ConsoleAccount,
} from "./support/console-accounts";
import { consoleRequest, cookieHeader, type ConsoleReply } from "./support/console-http";
import { startConsoleServer, type ConsoleServer } from "./support/console-server";
import { launchConsoleBrowser } from "./support/launch-console-browser";
import { ensureWebBuild } from "./support/web-build";

const password = `correct-${randomBytes(6).toString("hex")}`;
const SESSION_COOKIE = "__Host-conclave.session";
const stackTrace = /at \S+ \(|\.tsx?:\d+|node_modules/;

let db: TestDatabase;
let prisma: PrismaClient;
let server: ConsoleServer;
let browser: Browser;
let admin: ConsoleAccount;
let adminContext: BrowserContext;
let adminPage: Page;
let vault: { id: string; name: string };
const cspViolations: string[] = [];

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.origin });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) cspViolations.push(message.text());
  });
  return { context, page };
}

async function signedIn(account: ConsoleAccount): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage();
  await signInThroughPage(opened.page, account);
  return opened;
}

function errorReason(reply: ConsoleReply): unknown {
  return (JSON.parse(reply.body) as { error?: { data?: { reason?: unknown } } }).error?.data
    ?.reason;
}

async function query(context: BrowserContext, procedure: string, input?: unknown) {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return consoleRequest(server, `/api/trpc/${procedure}${search}`, {
    headers: { cookie: await cookieHeader(context) },
  });
}

function conflictingDenials(): Promise<number> {
  return prisma.securityEvent.count({
    where: {
      kind: "authentication_denied",
      details: { path: ["reason"], equals: "conflicting_credentials" },
    },
  });
}

beforeAll(async () => {
  const executablePath = provisionedTool(chromiumTool);
  ensureWebBuild();
  db = await createTestDatabase();
  prisma = createPrismaClient({ url: db.ownerUrl, max: 2 });
  admin = await seedConsoleAccount(prisma, "ADMIN", "ada@hardening.test", password);
  vault = await prisma.vault.create({
    data: {
      name: "Reserve",
      chain: "bitcoin",
      network: "testnet",
      threshold: 2,
      guardianCount: 3,
      createdById: admin.id,
    },
    select: { id: true, name: true },
  });
  server = await startConsoleServer(db.appUrl, { env: { RATE_LIMIT_PUBLIC_PER_MINUTE: "100" } });
  browser = await launchConsoleBrowser(executablePath, server);
  ({ context: adminContext, page: adminPage } = await signedIn(admin));
}, 600_000);

afterAll(() => closeConsoleHarness({ browser, server, prisma, db }));

describe("one credential per console request", () => {
  it("refuses the admin's cookie plus `Authorization: x` from script on the console's own page", async () => {
    await adminPage.goto("/dashboard");
    const before = await conflictingDenials();
    for (const procedure of ["admin.vaults.disable", "admin.vaults.delete"]) {
      const reply = await adminPage.evaluate(
        async ({ procedure, input }) => {
          const response = await fetch(`/api/trpc/${procedure}`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: "x" },
            body: JSON.stringify(input),
          });
          return { status: response.status, body: await response.text() };
        },
        { procedure, input: { vaultId: vault.id, confirmName: vault.name } },
      );
      expect({ procedure, status: reply.status }).toEqual({ procedure, status: 401 });
      expect(errorReason({ ...reply, headers: {} })).toBe("conflicting_credentials");
    }
    const after = await prisma.vault.findUniqueOrThrow({ where: { id: vault.id } });
    expect(after.status).toBe("DRAFT");
    expect(await conflictingDenials()).toBe(before + 2);
    // The cookie alone gets the procedure's own rule: without a fresh credential in the
    // same request the one-way act is refused, naming the missing field.
    const bare = await consoleRequest(server, "/api/trpc/admin.vaults.disable", {
      method: "POST",
      headers: {
        cookie: await cookieHeader(adminContext),
        origin: server.origin,
        "content-type": "application/json",
      },
      body: JSON.stringify({ vaultId: vault.id, confirmName: vault.name }),
    });
    expect(bare.status).toBe(400);
    const issues = (JSON.parse(bare.body) as { error?: { data?: { issues?: { path: string }[] } } })
      .error?.data?.issues;
    expect(issues?.map((issue) => issue.path)).toEqual(["password"]);
    expect((await prisma.vault.findUniqueOrThrow({ where: { id: vault.id } })).status).toBe(
      "DRAFT",
    );
  });

  it("refuses every console mutation sent with the session cookie and a junk Authorization header, changing nothing", async () => {
    // Read from the router, so a mutation added later is walked too.
    const mutations = Object.entries(
      consoleRoot._def.procedures as unknown as Record<string, { _def: { type: string } }>,
    )
      .filter(([, procedure]) => procedure._def.type === "mutation")
      .map(([path]) => path);
    expect(mutations).toEqual(
      expect.arrayContaining(["admin.vaults.disable", "admin.vaults.delete", "logout"]),
    );
    const inputs: Record<string, unknown> = {
      "admin.vaults.disable": { vaultId: vault.id, confirmName: vault.name, password },
      "admin.vaults.delete": { vaultId: vault.id, confirmName: vault.name, password },
    };
    const audited = await prisma.auditEvent.count();
    const denials = await conflictingDenials();
    const cookie = await cookieHeader(adminContext);
    const junk = ["x", "", "Bearer cnk_junk", "Basic YWRtaW46YWRtaW4="];
    for (const path of mutations) {
      for (const authorization of junk) {
        const reply = await consoleRequest(server, `/api/trpc/${path}`, {
          method: "POST",
          headers: {
            cookie,
            authorization,
            origin: server.origin,
            "content-type": "application/json",
          },
          body: JSON.stringify(inputs[path] ?? {}),
        });
        expect({ path, authorization, status: reply.status }).toEqual({
          path,
          authorization,
          status: 401,
        });
        expect(errorReason(reply)).toBe("conflicting_credentials");
      }
    }
    expect(await prisma.auditEvent.count()).toBe(audited);
    expect((await prisma.vault.findUniqueOrThrow({ where: { id: vault.id } })).status).toBe(
      "DRAFT",
    );
    expect(await liveSessionCount(prisma, admin.id)).toBe(1);
    expect(await conflictingDenials()).toBe(denials + mutations.length * junk.length);
  });
});

describe("console black-box findings", () => {
  it("sends a garbage or forged session cookie to sign-in, never a 500", async () => {
    const forged = await encode({
      token: { sub: admin.id, sid: "00000000-0000-4000-8000-000000000000" },
      secret: randomBytes(32).toString("base64url"),
    });
    for (const value of ["garbage", forged, `${forged}x`]) {
      const cookie = `${SESSION_COOKIE}=${value}`;
      const page = await consoleRequest(server, "/dashboard", { headers: { cookie } });
      expect(page.status).toBe(307);
      expect(page.headers.location).toMatch(/\/signin$/);
      const api = await consoleRequest(server, "/api/trpc/sessions.list", { headers: { cookie } });
      expect(api.status).toBe(401);
      expect(api.body).not.toMatch(stackTrace);
    }
  });

  it("answers 400 to out-of-range and control-character filters, naming the field", async () => {
    const cases: [string, unknown, string][] = [
      ["console.audit.list", { beforeSeq: "9999999999999999999" }, "beforeSeq"],
      ["console.audit.list", { from: "0000-01-01T00:00:00Z" }, "from"],
      ["console.audit.list", { to: "0000-01-01T00:00:00Z" }, "to"],
      ["console.audit.list", { actorId: "ab\u0000cd" }, "actorId"],
      ["console.securityEvents.list", { kind: "x\u0000" }, "kind"],
      ["console.securityEvents.list", { before: "0000-01-01T00:00:00Z" }, "before"],
    ];
    for (const [procedure, input, field] of cases) {
      const reply = await query(adminContext, procedure, input);
      expect({ procedure, input, status: reply.status }).toEqual({ procedure, input, status: 400 });
      const issues = (JSON.parse(reply.body) as { error: { data: { issues: { path: string }[] } } })
        .error.data.issues;
      expect(issues.map((issue) => issue.path)).toContain(field);
      expect(reply.body).not.toMatch(stackTrace);
    }
    // The largest sequence number PostgreSQL's bigint holds is still a valid cursor.
    expect(
      (await query(adminContext, "console.audit.list", { beforeSeq: "9223372036854775807" }))
        .status,
    ).toBe(200);
  });

  it("answers 400 to a console path that is not valid percent-encoding", async () => {
    for (const path of ["/vaults/%E0%A4%A", "/%", "/api/trpc/sessions.list%ZZ"]) {
      const reply = await consoleRequest(server, path, {
        headers: { cookie: await cookieHeader(adminContext) },
      });
      expect({ path, status: reply.status }).toEqual({ path, status: 400 });
      expect(reply.body).not.toMatch(stackTrace);
    }
  });

  it("sends next-auth sign-out with an odd callbackUrl to our own sign-in page", async () => {
    const csrf = await consoleRequest(server, "/api/auth/csrf");
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
    const csrfCookie = (csrf.headers["set-cookie"] ?? [])
      .map((line) => line.split(";")[0])
      .join("; ");
    for (const callbackUrl of ["http://[", "javascript:alert(1)", "//evil.example/x", "%"]) {
      const get = await consoleRequest(
        server,
        `/api/auth/signout?callbackUrl=${encodeURIComponent(callbackUrl)}`,
      );
      expect(get.status).toBeLessThan(500);
      const post = await consoleRequest(server, "/api/auth/signout", {
        method: "POST",
        headers: {
          cookie: csrfCookie,
          "content-type": "application/x-www-form-urlencoded",
          origin: server.origin,
        },
        body: new URLSearchParams({ csrfToken, callbackUrl }).toString(),
      });
      expect({ callbackUrl, status: post.status }).toEqual({ callbackUrl, status: 302 });
      // Our own origin, whatever the path; a foreign or unparsable target becomes /signin.
      expect(post.headers.location?.startsWith(`${server.origin}/`)).toBe(true);
      if (callbackUrl !== "%") expect(post.headers.location).toBe(`${server.origin}/signin`);
    }
  });

  it("ends the server session on next-auth's own sign-out", async () => {
    const viewer = await seedConsoleAccount(prisma, "VIEWER", "vic@hardening.test", password);
    const { context } = await signedIn(viewer);
    expect(await liveSessionCount(prisma, viewer.id)).toBe(1);
    const cookies = await cookieHeader(context);
    const csrf = await consoleRequest(server, "/api/auth/csrf", { headers: { cookie: cookies } });
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
    const reply = await consoleRequest(server, "/api/auth/signout", {
      method: "POST",
      headers: {
        cookie: cookies,
        "content-type": "application/x-www-form-urlencoded",
        origin: server.origin,
      },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/signin" }).toString(),
    });
    expect(reply.status).toBe(302);
    expect(await liveSessionCount(prisma, viewer.id)).toBe(0);
    // The old cookie, replayed, is no session any more.
    expect((await query(context, "sessions.list")).status).toBe(401);
    await context.close();
  });

  it("says so when the sign-out button cannot end the session, and keeps it until it can", async () => {
    const other = await seedConsoleAccount(prisma, "ADMIN", "otto@hardening.test", password);
    const { context, page } = await signedIn(other);
    await page.route("**/api/trpc/logout", (route) =>
      route.fulfill({ status: 503, contentType: "application/json", body: "{}" }),
    );
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("alert").filter({ hasText: "Sign-out failed" }).waitFor();
    expect(page.url()).toContain("/dashboard");
    expect(await liveSessionCount(prisma, other.id)).toBe(1);
    await page.unroute("**/api/trpc/logout");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/signin");
    expect(await liveSessionCount(prisma, other.id)).toBe(0);
    await context.close();
  });

  it("marks authenticated tRPC answers no-store", async () => {
    const reply = await query(adminContext, "sessions.list");
    expect(reply.status).toBe(200);
    expect(reply.headers["cache-control"]).toBe("no-store");
  });

  it("sends the CSP with prefetches too, and X-XSS-Protection 0 everywhere", async () => {
    const cookie = await cookieHeader(adminContext);
    const variants: Record<string, string>[] = [
      {},
      { "next-router-prefetch": "1" },
      { purpose: "prefetch" },
      { "sec-purpose": "prefetch" },
    ];
    for (const headers of variants) {
      const reply = await consoleRequest(server, "/vaults", { headers: { cookie, ...headers } });
      expect({ headers, status: reply.status, location: reply.headers.location }).toEqual({
        headers,
        status: 200,
        location: undefined,
      });
      expect(reply.headers["content-security-policy"]).toMatch(/script-src[^;]*'nonce-/);
      expect(reply.headers["x-xss-protection"]).toBe("0");
    }
  });

  it("serves its 404 page without a CSP violation", async () => {
    const { context, page } = await newPage();
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it("wrote every line of its own output, Next's and Prisma's included, through the logger", () => {
    const lines = `${server.stdout()}\n${server.stderr()}`.split("\n").filter(Boolean);
    const raw = lines.filter((line) => {
      try {
        return (JSON.parse(line) as { name?: unknown }).name !== "web";
      } catch {
        return true;
      }
    });
    expect(raw).toEqual([]);
  });
});
