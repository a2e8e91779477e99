// The path every new user takes, under the load that broke it: the real `npm start`
// serving three CLI guardians that join and run keygen at once, two of them co-signing,
// while console sign-ins run in parallel. On PGlite behind pglite-socket this lost
// prepared statements across connections (error 26000), security events and keygens.
import { mkdtempSync, readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { schnorr } from "@noble/curves/secp256k1.js";
import { hexToBytes } from "@noble/curves/utils.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@conclave/auth/password-hash";
import { generateTotp, generateTotpSecret } from "@conclave/auth/totp";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import type { StartedConclave } from "./embedded-conclave-process";
import { runGuardian, type GuardianCliResult } from "./embedded-guardian-cli";
import { startReadyConclave, stopAndRemoveConclave } from "./support/embedded-conclave-lifecycle";

type Reply = { status: number; headers: IncomingHttpHeaders; body: string };
type Admin = { email: string; password: string; totpSecret: string };

const passphrase = { CONCLAVE_GUARDIAN_PASSPHRASE: "embedded ceremony passphrase" };
const consoleSignIns = 8; // under the console's per-address sign-in limit (10 a minute)

describe("npm start under concurrent guardians and console sign-ins", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let conclave: StartedConclave;
  let ca: string;
  let prisma: PrismaClient;
  const replies: { what: string; status: number }[] = [];

  const webOrigin = () => `https://localhost:${env.WEB_PORT ?? ""}`;
  const wsOrigin = () => `https://localhost:${env.WS_SERVER_PORT ?? ""}`;

  function send(
    url: string,
    options: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        { method: options.method ?? "GET", ca, headers: options.headers, agent: false },
        (response) => {
          let body = "";
          response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            replies.push({ what: `${options.method ?? "GET"} ${new URL(url).pathname}`, status });
            resolve({ status, headers: response.headers, body });
          });
        },
      );
      outgoing.on("error", reject);
      outgoing.end(options.body);
    });
  }

  function cookiesFrom(reply: Reply): string[] {
    return (reply.headers["set-cookie"] ?? []).map((cookie) => cookie.split(";")[0] ?? "");
  }

  /** next-auth's credentials flow over plain HTTPS: CSRF token, then the callback. */
  async function signIn(admin: Admin): Promise<string> {
    const csrf = await send(`${webOrigin()}/api/auth/csrf`);
    const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
    const reply = await send(`${webOrigin()}/api/auth/callback/credentials`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: webOrigin(),
        cookie: cookiesFrom(csrf).join("; "),
      },
      body: new URLSearchParams({
        csrfToken,
        email: admin.email,
        password: admin.password,
        totp: generateTotp(admin.totpSecret, new Date()),
        callbackUrl: `${webOrigin()}/`,
        json: "true",
      }).toString(),
    });
    const session = cookiesFrom(reply).find((cookie) =>
      cookie.startsWith("__Host-conclave.session="),
    );
    if (session === undefined) {
      throw new Error(`sign-in of ${admin.email} failed: ${reply.status} ${reply.body}`);
    }
    return session;
  }

  async function consoleCall<T>(cookie: string, procedure: string, input: unknown): Promise<T> {
    const reply = await send(`${webOrigin()}/api/trpc/${procedure}`, {
      method: "POST",
      headers: { cookie, origin: webOrigin(), "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    if (reply.status !== 200) throw new Error(`${procedure}: ${reply.status} ${reply.body}`);
    return (JSON.parse(reply.body) as { result: { data: T } }).result.data;
  }

  async function consoleQuery<T>(cookie: string, procedure: string, input: unknown): Promise<T> {
    const search = `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const reply = await send(`${webOrigin()}/api/trpc/${procedure}${search}`, {
      headers: { cookie },
    });
    if (reply.status !== 200) throw new Error(`${procedure}: ${reply.status} ${reply.body}`);
    return (JSON.parse(reply.body) as { result: { data: T } }).result.data;
  }

  /** Each admin signs in once, all at once; each session then reads the vault list. */
  async function signInAll(admins: Admin[]): Promise<string[]> {
    const cookies = await Promise.all(admins.map((admin) => signIn(admin)));
    await Promise.all(cookies.map((cookie) => consoleQuery(cookie, "admin.vaults.list", {})));
    return cookies;
  }

  /** On failure, shows what the guardian printed and the server's error lines. */
  function expectSucceeded(result: GuardianCliResult): void {
    const serverErrors = conclave
      .output()
      .split("\n")
      .filter((line) => /"level":"(error|fatal|warn)"|26000|lost/iu.test(line))
      .slice(-20)
      .join("\n");
    const context = `guardian stderr:\n${result.stderr}\nserver errors:\n${serverErrors}`;
    expect(result.stderr, context).not.toMatch(/server refused|Not authenticated|lost/iu);
    expect(result.code, context).toBe(0);
  }

  beforeAll(async () => {
    ({ home, env, conclave } = await startReadyConclave());
    ca = readFileSync(path.join(home, "tls/ca.crt"), "utf8");
    const url = readFileSync(path.join(home, "secrets/database_url"), "utf8");
    prisma = createPrismaClient({ url, max: 2 });
  }, 660_000);

  afterAll(async () => {
    // Unset when the start itself failed.
    await (prisma as PrismaClient | undefined)?.$disconnect();
    await stopAndRemoveConclave(conclave, home);
  });

  it("completes a 2-of-3 keygen and a signature with console sign-ins in parallel", async () => {
    const admins: Admin[] = [];
    for (let i = 0; i < consoleSignIns; i++) {
      const admin = {
        email: `admin-${i}@embedded.test`,
        password: `embedded admin password ${i}`,
        totpSecret: generateTotpSecret(),
      };
      await prisma.user.create({
        data: {
          email: admin.email,
          passwordHash: await hashPassword(admin.password),
          totpSecret: admin.totpSecret,
          role: "ADMIN",
        },
      });
      admins.push(admin);
    }
    const [operator] = await signInAll(admins.slice(0, 2));
    if (operator === undefined) throw new Error("no operator session");

    const vault = await consoleCall<{ id: string }>(operator, "admin.vaults.create", {
      name: "Embedded ceremony",
      chain: "bitcoin",
      network: "testnet",
      threshold: 2,
      guardianCount: 3,
    });
    const codes = await Promise.all(
      [0, 1, 2].map(async () => {
        const invitation = await consoleCall<{ code: string }>(
          operator,
          "admin.invitations.create",
          { vaultId: vault.id, role: "GUARDIAN" },
        );
        return invitation.code;
      }),
    );
    const stateDirs = codes.map(() => mkdtempSync(path.join(tmpdir(), "conclave-guardian-")));
    const cli = (index: number, args: string[], stdin?: string) =>
      runGuardian([...args, "--state-dir", stateDirs[index] ?? ""], passphrase, stdin);

    // Joins, then keygen, all three guardians at once, while more admins sign in.
    const [joined] = await Promise.all([
      Promise.all(
        codes.map((code, index) =>
          cli(index, [
            "join",
            ...["--server", wsOrigin(), "--ca", path.join(home, "tls/ca.crt")],
            ...["--vault", vault.id, "--code", code, "--device", `guardian-${index}`],
          ]),
        ),
      ),
      signInAll(admins.slice(2, 4)),
    ]);
    joined.forEach(expectSucceeded);

    const [keygens] = await Promise.all([
      Promise.all(stateDirs.map((_, index) => cli(index, ["keygen", "--vault", vault.id]))),
      signInAll(admins.slice(4, 6)),
    ]);
    keygens.forEach(expectSucceeded);
    const groupKeys = keygens.map(
      (result) => /group key \(x-only\) ([0-9a-f]{64})/u.exec(result.stdout)?.[1],
    );
    const stored = await prisma.vault.findUniqueOrThrow({ where: { id: vault.id } });
    expect(stored.status).toBe("ACTIVE");
    expect(stored.groupPublicKeyXOnly).toMatch(/^[0-9a-f]{64}$/u);
    expect(groupKeys).toEqual([0, 1, 2].map(() => stored.groupPublicKeyXOnly));

    const transaction = await consoleCall<{ id: string }>(operator, "admin.transactions.create", {
      vaultId: vault.id,
      fields: {
        chain: "bitcoin",
        network: "testnet",
        destination: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
        amount: "2500000",
        memo: "Embedded ceremony",
      },
    });
    // Two of the three approve on their terminal ("yes" on stdin), with sign-ins alongside.
    const [signatures] = await Promise.all([
      Promise.all(
        [0, 1].map((index) =>
          cli(index, ["sign", "--vault", vault.id, "--tx", transaction.id], "yes\n"),
        ),
      ),
      signInAll(admins.slice(6, 8)),
    ]);
    signatures.forEach(expectSucceeded);

    const detail = await consoleQuery<{ status: string; digest: string; signature: string | null }>(
      operator,
      "admin.transactions.get",
      { vaultId: vault.id, transactionId: transaction.id },
    );
    expect(detail.status).toBe("COMPLETED");
    expect(detail.signature).toMatch(/^[0-9a-f]{128}$/u);
    for (const result of signatures) {
      expect(result.stdout).toContain(`signature ${detail.signature ?? ""}`);
    }
    // Plain BIP340 over the digest the server reports, under the vault's x-only key.
    expect(
      schnorr.verify(
        hexToBytes(detail.signature ?? ""),
        hexToBytes(detail.digest),
        hexToBytes(stored.groupPublicKeyXOnly ?? ""),
      ),
    ).toBe(true);

    expect(replies.filter((reply) => reply.status >= 500)).toEqual([]);
    const log = conclave.output();
    expect(log).not.toMatch(/"(status|statusCode)":5\d\d/u);
    expect(log).not.toMatch(/lost/iu);
    expect(log).not.toMatch(/26000|prepared statement|portal .* does not exist/iu);
  }, 480_000);
});
