import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import { createTransaction } from "@conclave/api/services/transactions/create-transaction";
import { createVault } from "@conclave/api/services/vaults/create-vault";
import { createGuardianClient, type GuardianClient } from "@conclave/client/create-guardian-client";
import { runKeygen } from "@conclave/client/keygen/run-keygen";
import { loadKeyShare } from "@conclave/client/keyshare/key-share-file";
import { reviewTransaction } from "@conclave/client/signing/review-transaction";
import { runSigning } from "@conclave/client/signing/run-signing";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { createLogger } from "@conclave/logger/create-logger";
import { transactionFieldsSchema } from "@conclave/validators/transaction-fields-schema";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadWsServerConfig } from "../src/config";
import { createApiDependencies, type OwnedApiDependencies } from "../src/create-api-dependencies";
import { freePort } from "./guardian-front-door";
import { spawnWsServer, type SpawnedWsServer } from "./spawn-ws-server";
import { createTempTlsFiles } from "./temp-tls-files";

const meta = { ip: null, userAgent: null, requestId: "restart-test" };
const passphrase = "restart passphrase";

/** Resolves when `predicate` holds for a line this guardian reported. */
function progressWatcher() {
  const lines: string[] = [];
  const waiters: { predicate: (line: string) => boolean; resolve: () => void }[] = [];
  return {
    lines,
    onProgress(line: string) {
      lines.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.predicate(line)) waiter.resolve();
        else waiters.push(waiter);
      }
    },
    until(predicate: (line: string) => boolean): Promise<void> {
      if (lines.some(predicate)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
}

// The ws-server as a child process, SIGKILLed in the middle of a DKG round and of a
// signing round and started again: the ceremonies complete, and a guardian's event
// subscription resumes from its last tracked id without gaps or repeats.
// Whole ceremonies across processes: minutes under a loaded `npm test`, not the 30 s default.
describe("ws-server killed mid-ceremony", { timeout: 120_000 }, () => {
  const tls = createTempTlsFiles();
  const stateRoot = mkdtempSync(path.join(tmpdir(), "conclave-restart-"));
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: SpawnedWsServer;
  let api: OwnedApiDependencies;
  let origin: string;
  let adminId: string;
  let vaultId: string;
  const guardians: { client: GuardianClient; stateDir: string }[] = [];
  const eventIds: string[] = [];

  const startServer = async () => {
    server = spawnWsServer(env);
    await server.waitForLog((entry) => entry.msg === "ws-server listening");
  };
  const killServer = async () => {
    server.kill("SIGKILL");
    await server.exited;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await freePort();
    origin = `https://localhost:${port}`;
    env = {
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      CONCLAVE_HOME: tls.dir,
      DATABASE_URL: database.appUrl,
      TLS_CERT_FILE: tls.certFile,
      TLS_KEY_FILE: tls.keyFile,
      WS_SERVER_HOST: "127.0.0.1",
      WS_SERVER_PORT: String(port),
      WS_SERVER_HTTP_PORT: "0",
      PUBLIC_WS_ORIGIN: origin,
      INVITE_CODE_PEPPER: "restart-invite-pepper-0123456789abcdef",
      API_KEY_PEPPER: "restart-api-key-pepper-0123456789abcdef",
      REFRESH_TOKEN_PEPPER: "restart-refresh-pepper-0123456789abcdef",
      LOG_HMAC_KEY: "restart-log-hmac-0123456789abcdef",
      JWT_KEYRING_FILE: tls.write(
        "jwt-keyring.json",
        serializeKeyring(await createKeyring(new Date())),
        0o600,
      ),
      ...(process.env.REDIS_URL === undefined ? {} : { REDIS_URL: process.env.REDIS_URL }),
    };
    // The admin side runs in the test process on the same database (and Redis).
    api = await createApiDependencies(loadWsServerConfig(env), {
      logger: createLogger({ name: "restart-admin", level: "silent" }),
    });
    const admin = await api.deps.prisma.user.create({
      data: { email: "restart@example.test", passwordHash: "x", role: "ADMIN" },
    });
    adminId = admin.id;
    const actor = { actorType: "USER" as const, actorId: adminId, createdById: adminId };
    vaultId = (
      await createVault(api.deps, meta, actor, {
        name: "Restart vault",
        chain: "bitcoin",
        network: "testnet",
        threshold: 2,
        guardianCount: 3,
      })
    ).id;
    await startServer();
    for (let i = 1; i <= 3; i++) {
      const invitation = await createInvitation(api.deps, meta, actor, {
        vaultId,
        role: "GUARDIAN",
      });
      const stateDir = path.join(stateRoot, `guardian-${i}`);
      const client = createGuardianClient({
        serverUrl: origin,
        ca: tls.cert,
        stateDir,
        retryDelayMs: () => 200,
      });
      await client.join({ vaultId, code: invitation.code, deviceName: `device-${i}` });
      guardians.push({ client, stateDir });
    }
    const first = guardians[0];
    if (first === undefined) throw new Error("no guardian");
    first.client.api.events.subscribe.subscribe(
      {},
      {
        onData: (event) => {
          eventIds.push(event.id);
        },
      },
    );
  });

  afterAll(async () => {
    for (const { client } of guardians) await client.close();
    server.kill("SIGKILL");
    await server.exited;
    await api.close();
    await database.drop();
    tls.remove();
    rmSync(stateRoot, { recursive: true, force: true });
  });

  const guardian = (index: number) => {
    const entry = guardians[index];
    if (entry === undefined) throw new Error(`no guardian ${index}`);
    return entry;
  };

  it("completes the DKG after a SIGKILL during round 1", async () => {
    const watchers = [progressWatcher(), progressWatcher(), progressWatcher()] as const;
    const keygen = (index: number) =>
      runKeygen(guardian(index).client, {
        vaultId,
        passphrase,
        stateDir: guardian(index).stateDir,
        recheckMs: 500,
        onProgress: (line) => {
          watchers[index as 0 | 1 | 2].onProgress(line);
        },
      });
    // Two guardians send round 1 and wait for the third, which has not started.
    const early = [keygen(0), keygen(1)];
    const sentRound1 = (line: string) => line.startsWith("round 1 sent");
    await Promise.all([watchers[0].until(sentRound1), watchers[1].until(sentRound1)]);
    await killServer();
    await startServer();
    const results = await Promise.all([...early, keygen(2)]);
    expect(new Set(results.map((result) => result.groupPublicKeyXOnly)).size).toBe(1);
    const vault = await api.deps.prisma.vault.findUniqueOrThrow({ where: { id: vaultId } });
    expect(vault.status).toBe("ACTIVE");
  });

  it("completes a signing round after a SIGKILL between approvals", async () => {
    const transaction = await createTransaction(
      api.deps,
      meta,
      { actorType: "USER", actorId: adminId, createdById: adminId },
      {
        vaultId,
        fields: transactionFieldsSchema.parse({
          chain: "bitcoin",
          network: "testnet",
          destination: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
          amount: "42000",
          memo: "Across a restart",
        }),
      },
    );
    const sign = async (index: number, onProgress?: (line: string) => void) => {
      const { client, stateDir } = guardian(index);
      const review = await reviewTransaction(client, vaultId, transaction.id);
      const keyShare = await loadKeyShare(stateDir, vaultId, passphrase);
      return runSigning(client, {
        review,
        keyShare,
        recheckMs: 500,
        ...(onProgress === undefined ? {} : { onProgress }),
      });
    };
    const watcher = progressWatcher();
    const first = sign(0, (line) => {
      watcher.onProgress(line);
    });
    await watcher.until((line) => line.startsWith("approved"));
    await killServer();
    await startServer();
    const signatures = await Promise.all([first, sign(1)]);
    expect(signatures[0]).toBe(signatures[1]);
    const stored = await api.deps.prisma.transaction.findUniqueOrThrow({
      where: { id: transaction.id },
    });
    expect(stored.status).toBe("COMPLETED");
  });

  it("resumed the first guardian's event subscription without gaps or repeats", async () => {
    const guardianId = (await guardian(0).client.state())?.guardianId ?? "";
    const rows = await api.deps.prisma.guardianEvent.findMany({
      where: { guardianId },
      orderBy: { id: "asc" },
      select: { id: true },
    });
    // Events written just now may still be in flight to the subscriber.
    await expect
      .poll(() => eventIds.length, { timeout: 20_000, interval: 200 })
      .toBeGreaterThanOrEqual(rows.length);
    expect(eventIds).toEqual(rows.map((row) => row.id.toString()));
  });
});
