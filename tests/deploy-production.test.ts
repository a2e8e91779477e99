// The compiled production build behind the shipped nginx configuration, with
// NODE_ENV=production, secrets from credentials and files, PostgreSQL over TLS and Redis
// (tests/support/production-deployment.ts): what an operator following
// docs/deployment.md runs, exercised through nginx as clients reach it.
import { spawnSync } from "node:child_process";
import { randomUUID, X509Certificate } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import type http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import tls from "node:tls";
import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import { createTransaction } from "@conclave/api/services/transactions/create-transaction";
import { createVault } from "@conclave/api/services/vaults/create-vault";
import { createGuardianClient, type GuardianClient } from "@conclave/client/create-guardian-client";
import { generateIdentityKey } from "@conclave/client/identity/identity-key";
import { runKeygen } from "@conclave/client/keygen/run-keygen";
import { loadKeyShare } from "@conclave/client/keyshare/key-share-file";
import { reviewTransaction } from "@conclave/client/signing/review-transaction";
import { runSigning } from "@conclave/client/signing/run-signing";
import { createLogger } from "@conclave/logger/create-logger";
import { transactionFieldsSchema } from "@conclave/validators/transaction-fields-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWsServerConfig } from "../apps/ws-server/src/config";
import {
  createApiDependencies,
  type OwnedApiDependencies,
} from "../apps/ws-server/src/create-api-dependencies";
import { ensureDevCertificates } from "../scripts/start/dev-certificates";
import { nginxTool } from "../scripts/test-services/deploy-tools";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";
import type { AppEnv } from "./support/deploy-app-process";
import {
  AUTH_BAN_THRESHOLD,
  residentKiB,
  SERVICE_UID,
  startProductionDeployment,
  type ProductionDeployment,
} from "./support/production-deployment";

const meta = { ip: null, userAgent: null, requestId: "production-test" };
const passphrase = "correct horse battery staple";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTPS request to `port` on 127.0.0.1 from `localAddress` (a loopback client of its own). */
function request(
  port: number,
  ca: string,
  options: {
    path: string;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
    localAddress?: string;
  },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = https.request(
      {
        host: "127.0.0.1",
        port,
        ca,
        servername: "localhost",
        path: options.path,
        method: options.method ?? (payload === undefined ? "GET" : "POST"),
        localAddress: options.localAddress ?? "127.0.0.1",
        headers: {
          host: `localhost:${String(port)}`,
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
          ...options.headers,
        },
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    req.once("error", reject);
    req.end(payload);
  });
}

/** A login with a fresh identity each time, so only the address's failures add up. */
function failedLogin(port: number, ca: string, localAddress: string, headers = {}) {
  return request(port, ca, {
    path: "/trpc/auth.login",
    localAddress,
    headers,
    body: {
      challengeId: randomUUID(),
      identityPublicKey: generateIdentityKey().publicKeyHex,
      signature: "ab".repeat(64),
      deviceName: "guesser",
    },
  });
}

/** The SHA-256 fingerprint of the certificate a TLS server on `port` presents. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: "127.0.0.1", port, servername: "localhost", rejectUnauthorized: false },
      () => {
        const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? "";
        socket.end();
        resolve(fingerprint);
      },
    );
    socket.once("error", reject);
  });
}

describe("the production build behind nginx", () => {
  let deployment: ProductionDeployment;
  let admin: OwnedApiDependencies;
  let adminId: string;
  const port = () => Number(new URL(deployment.signingOrigin).port);
  const consolePort = () => Number(new URL(deployment.consoleOrigin).port);
  const actor = () => ({ actorType: "USER" as const, actorId: adminId, createdById: adminId });

  beforeAll(async () => {
    deployment = await startProductionDeployment();
    admin = await createApiDependencies(loadWsServerConfig(deployment.adminEnv), {
      logger: createLogger({ name: "production-test-admin", level: "silent" }),
    });
    const user = await admin.deps.prisma.user.create({
      data: { email: "production-admin@example.test", passwordHash: "x", role: "ADMIN" },
    });
    adminId = user.id;
    // The README's start figures: time to ready, and resident memory once idle.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    console.log(
      `production start: ws-server ready in ${String(deployment.readyMs.wsServer)} ms, ` +
        `${String(residentKiB(deployment.wsServer.pid))} KiB idle RSS; web ready in ` +
        `${String(deployment.readyMs.web)} ms, ${String(residentKiB(deployment.web.pid))} KiB idle RSS`,
    );
  }, 900_000);

  afterAll(async () => {
    // Undefined when beforeAll failed half-way.
    await (admin as OwnedApiDependencies | undefined)?.close();
    await (deployment as ProductionDeployment | undefined)?.stop();
  });

  it("answers /healthz through nginx, the database checked over TLS", async () => {
    const health = await request(port(), deployment.ca, { path: "/healthz" });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok", db: "ok" });
    expect(health.headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(health.headers["x-request-id"]).toBeTruthy();
  });

  it("runs a 2-of-3 guardian ceremony over WSS through nginx: join, keygen, sign", async () => {
    const vault = await createVault(admin.deps, meta, actor(), {
      name: "Production vault",
      chain: "bitcoin",
      network: "testnet",
      threshold: 2,
      guardianCount: 3,
    });
    const states = mkdtempSync(path.join(tmpdir(), "conclave-guardians-"));
    const guardians: { client: GuardianClient; stateDir: string }[] = [];
    try {
      for (let i = 1; i <= 3; i++) {
        const { code } = await createInvitation(admin.deps, meta, actor(), {
          vaultId: vault.id,
          role: "GUARDIAN",
        });
        const stateDir = path.join(states, `guardian-${String(i)}`);
        mkdirSync(stateDir, { mode: 0o700 });
        const client = createGuardianClient({
          serverUrl: deployment.signingOrigin,
          ca: deployment.ca,
          stateDir,
        });
        await client.join({ vaultId: vault.id, code, deviceName: `device-${String(i)}` });
        guardians.push({ client, stateDir });
      }
      const keygens = await Promise.all(
        guardians.map(({ client, stateDir }) =>
          runKeygen(client, { vaultId: vault.id, passphrase, stateDir, recheckMs: 1_000 }),
        ),
      );
      expect(new Set(keygens.map((result) => result.groupPublicKeyXOnly)).size).toBe(1);
      const transaction = await createTransaction(admin.deps, meta, actor(), {
        vaultId: vault.id,
        fields: transactionFieldsSchema.parse({
          chain: "bitcoin",
          network: "testnet",
          destination: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
          amount: "150000",
          memo: "Through nginx",
        }),
      });
      const signatures = await Promise.all(
        guardians.map(async ({ client, stateDir }) => {
          const keyShare = await loadKeyShare(stateDir, vault.id, passphrase);
          const review = await reviewTransaction(client, vault.id, transaction.id);
          return runSigning(client, { review, keyShare, recheckMs: 1_000 });
        }),
      );
      expect(new Set(signatures).size).toBe(1);
      const completed = await admin.deps.prisma.transaction.findUniqueOrThrow({
        where: { id: transaction.id },
      });
      expect(completed.status).toBe("COMPLETED");
    } finally {
      for (const { client } of guardians) await client.close();
      rmSync(states, { recursive: true, force: true });
    }
  }, 300_000);

  it("serves the console through nginx: the sign-in page with its CSP, HSTS once", async () => {
    const root = await request(consolePort(), deployment.ca, { path: "/" });
    expect(root.status).toBe(307);
    expect(root.headers.location).toBe("/dashboard");
    const signIn = await request(consolePort(), deployment.ca, { path: "/signin" });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toContain("<form");
    expect(signIn.headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/u);
    expect(signIn.headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
  });

  it("bans the client nginx names, not nginx itself", async () => {
    for (let i = 0; i < AUTH_BAN_THRESHOLD; i++) {
      expect((await failedLogin(port(), deployment.ca, "127.0.0.2")).status).toBe(401);
    }
    const banned = await request(port(), deployment.ca, {
      path: "/healthz",
      localAddress: "127.0.0.2",
    });
    expect(banned.status).toBe(403);
    expect(JSON.parse(banned.body)).toMatchObject({ error: { reason: "banned" } });
    // Another client behind the same nginx, and nginx's own address, are untouched.
    const other = await request(port(), deployment.ca, {
      path: "/healthz",
      localAddress: "127.0.0.3",
    });
    expect(other.status).toBe(200);
    const bans = await admin.deps.prisma.ban.findMany({ select: { ip: true } });
    expect(bans.map((ban) => ban.ip)).toEqual(["127.0.0.2"]);
    await deployment.wsServer.waitForLog(
      (entry) => entry.refusal === "banned" && entry.clientIp === "127.0.0.2",
    );
  });

  it("ignores X-Forwarded-For on a connection that bypasses nginx", async () => {
    const direct = Number(deployment.wsServerEnv.WS_SERVER_PORT);
    for (let i = 0; i < AUTH_BAN_THRESHOLD; i++) {
      const response = await failedLogin(direct, deployment.ca, "127.0.0.4", {
        "x-forwarded-for": `203.0.113.${String(10 + i)}`,
      });
      expect(response.status).toBe(401);
    }
    const bans = await admin.deps.prisma.ban.findMany({ select: { ip: true } });
    expect(bans.map((ban) => ban.ip).sort()).toEqual(["127.0.0.2", "127.0.0.4"]);
  });

  it("passes `conclave doctor` as the service user, and fails it on a broken setup", () => {
    const asService = process.getuid?.() === 0 ? { uid: SERVICE_UID, gid: SERVICE_UID } : {};
    const doctor = (env: Partial<AppEnv>) =>
      spawnSync(process.execPath, [deployment.cliEntry, "doctor"], {
        env: { PATH: process.env.PATH, ...deployment.wsServerEnv, ...env },
        encoding: "utf8",
        timeout: 120_000,
        ...asService,
      });
    const good = doctor({});
    expect(good.stdout).toMatch(/^PASS {2}TLS to PostgreSQL: encrypted \(TLSv1\.[23]\)$/mu);
    expect(good.stdout).toMatch(/^PASS {2}database role: DML only/mu);
    expect(good.stdout).toMatch(/^PASS {2}audit chain verifies: \d+ rows/mu);
    expect(good.stdout).toMatch(/^PASS {2}runs as a non-root user/mu);
    expect(good.stdout).toMatch(/^PASS {2}TLS certificate expiry: .*\(\d+ days\)$/mu);
    expect(good.stdout).not.toMatch(/^FAIL/mu);
    expect(good.status).toBe(0);

    // The owner's URL, a world-readable key and development mode: three failures.
    const broken = mkdtempSync(path.join(tmpdir(), "conclave-doctor-"));
    try {
      chmodSync(broken, 0o755);
      const key = path.join(broken, "privkey.pem");
      copyFileSync(path.join(deployment.tlsDir, "privkey.pem"), key);
      chmodSync(key, 0o644);
      const ownerUrl = path.join(broken, "database_url");
      writeFileSync(ownerUrl, deployment.postgres.ownerUrl, { mode: 0o600 });
      if (process.getuid?.() === 0) spawnSync("chown", ["-R", String(SERVICE_UID), broken]);
      const bad = doctor({
        NODE_ENV: "development",
        TLS_KEY_FILE: key,
        DATABASE_URL_FILE: ownerUrl,
      });
      expect(bad.stdout).toMatch(/^FAIL {2}NODE_ENV=production: NODE_ENV is development/mu);
      expect(bad.stdout).toMatch(
        /^FAIL {2}production configuration and secret strength: TLS_KEY_FILE/mu,
      );
      expect(bad.stdout).toMatch(/^FAIL {2}private files: .*TLS_KEY_FILE: .* has mode 0644/mu);
      expect(bad.stdout).not.toContain(deployment.postgres.ownerUrl);
      expect(bad.status).toBe(1);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  // Last: nginx and the apps end up on a certificate from another CA.
  it("renews like certbot: the deploy hook reloads nginx and SIGHUPs both apps onto the new certificate", async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), "conclave-renewal-"));
    try {
      const lineage = path.join(scratch, "live");
      mkdirSync(lineage, { mode: 0o700 });
      const renewed = ensureDevCertificates(lineage);
      copyFileSync(renewed.certFile, path.join(lineage, "fullchain.pem"));
      copyFileSync(renewed.keyFile, path.join(lineage, "privkey.pem"));
      const expected = new X509Certificate(readFileSync(renewed.certFile)).fingerprint256;
      const upstreams = {
        signing: Number(deployment.wsServerEnv.WS_SERVER_PORT),
        console: deployment.nginx.upstreams.console,
      };
      expect(await servedFingerprint(upstreams.signing)).not.toBe(expected);

      // systemctl and nginx stand in for the host's: the hook's own commands run as written.
      const bin = path.join(scratch, "bin");
      mkdirSync(bin);
      const nginx = provisionedTool(nginxTool);
      const { dir } = deployment.nginx;
      writeFileSync(
        path.join(bin, "nginx"),
        `#!/bin/sh\nexec ${nginx} -p ${dir} -c ${dir}/nginx.conf "$@"\n`,
        { mode: 0o755 },
      );
      writeFileSync(
        path.join(bin, "systemctl"),
        [
          "#!/bin/sh",
          '[ "$1" = reload ] || exit 2',
          "shift",
          'for unit in "$@"; do',
          '  case "$unit" in',
          `    nginx.service) ${bin}/nginx -s reload ;;`,
          `    conclave-ws-server.service) kill -HUP ${String(deployment.wsServer.pid)} ;;`,
          `    conclave-web.service) kill -HUP ${String(deployment.web.pid)} ;;`,
          "    *) exit 5 ;;",
          "  esac",
          "done",
          "",
        ].join("\n"),
        { mode: 0o755 },
      );
      const hook = spawnSync(
        "sh",
        [path.join(import.meta.dirname, "../deploy/certbot/conclave-deploy-hook.sh")],
        {
          encoding: "utf8",
          env: {
            NODE_ENV: "production",
            PATH: `${bin}:${process.env.PATH ?? ""}`,
            RENEWED_LINEAGE: lineage,
            CONCLAVE_TLS_DIR: deployment.tlsDir,
            CONCLAVE_SERVICE_USER: String(
              process.getuid?.() === 0 ? SERVICE_UID : process.getuid?.(),
            ),
            CONCLAVE_SERVICE_GROUP: String(
              process.getuid?.() === 0 ? SERVICE_UID : process.getgid?.(),
            ),
          },
        },
      );
      // nginx -s reload says "signal process started" on stderr; nothing else may appear.
      expect(hook.stderr.replace(/^.*\[notice\].*signal process started\n/gmu, "")).toBe("");
      expect(hook.status).toBe(0);
      await deployment.wsServer.waitForLog((entry) => entry.msg === "TLS certificate reloaded");
      await deployment.web.waitForLog((entry) => entry.msg === "TLS certificate reloaded");
      await expect.poll(() => servedFingerprint(upstreams.signing)).toBe(expected);
      await expect.poll(() => servedFingerprint(upstreams.console)).toBe(expected);
      await expect.poll(() => servedFingerprint(port())).toBe(expected);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
