// Real ws-server processes for the abuse-protection tests: one test database, one
// certificate, one keyring and one set of peppers, so any number of processes behave as
// instances of one deployment. The admin side (vaults, invitations, reading security
// events) runs in the test process on the same database, without Redis.
import { createKeyring, serializeKeyring } from "@conclave/auth/jwt-keyring";
import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import { createVault } from "@conclave/api/services/vaults/create-vault";
import {
  generateIdentityKey,
  signJoinChallenge,
  type IdentityKey,
} from "@conclave/client/identity/identity-key";
import { createTestDatabase, type TestDatabase } from "@conclave/db/testing/create-test-database";
import { createLogger } from "@conclave/logger/create-logger";
import { loadWsServerConfig } from "../../src/config";
import {
  createApiDependencies,
  type OwnedApiDependencies,
} from "../../src/create-api-dependencies";
import { spawnWsServer, type SpawnedWsServer } from "../spawn-ws-server";
import { trpcDataOf, trpcMutation } from "./abuse-front-door-client";
import { createTempTlsFiles, type TempTlsFiles } from "../temp-tls-files";

const meta = { ip: null, userAgent: null, requestId: "abuse-test" };

export interface RunningProcess {
  readonly server: SpawnedWsServer;
  readonly port: number;
  /** Undefined while the process runs; then its exit code (null when a signal ended it). */
  exitCode(): number | null | undefined;
}

export interface JoinedGuardian {
  readonly guardianId: string;
  readonly vaultId: string;
  readonly identity: IdentityKey;
  readonly accessToken: string;
  readonly refreshToken: string;
}

export interface AbuseTestBed {
  readonly tls: TempTlsFiles;
  readonly database: TestDatabase;
  readonly admin: OwnedApiDependencies;
  /** Starts `node apps/ws-server/src/main.ts` with the shared settings plus `env`. */
  spawn(env: Record<string, string>): Promise<RunningProcess>;
  /** A new vault and a guardian joined to it over `port`'s HTTPS (join challenge, join). */
  joinGuardian(port: number, deviceName: string): Promise<JoinedGuardian>;
  /** Stops every spawned process, drops the database, removes the files. */
  close(): Promise<void>;
}

/**
 * `publicOrigin` is every process's PUBLIC_WS_ORIGIN: it is also the tokens' issuer,
 * so processes that share it accept each other's tokens, as instances behind one
 * load balancer do.
 */
export async function createAbuseTestBed(options: { publicOrigin: string }): Promise<AbuseTestBed> {
  const tls = createTempTlsFiles();
  const database = await createTestDatabase();
  const shared: Record<string, string> = {
    NODE_ENV: "test",
    LOG_LEVEL: "info",
    CONCLAVE_HOME: tls.dir,
    DATABASE_URL: database.appUrl,
    TLS_CERT_FILE: tls.certFile,
    TLS_KEY_FILE: tls.keyFile,
    WS_SERVER_HOST: "127.0.0.1",
    WS_SERVER_PORT: "0",
    WS_SERVER_HTTP_PORT: "0",
    PUBLIC_WS_ORIGIN: options.publicOrigin,
    INVITE_CODE_PEPPER: "abuse-invite-pepper-0123456789abcdef",
    API_KEY_PEPPER: "abuse-api-key-pepper-0123456789abcdef",
    REFRESH_TOKEN_PEPPER: "abuse-refresh-pepper-0123456789abcdef",
    LOG_HMAC_KEY: "abuse-log-hmac-key-0123456789abcdef",
    JWT_KEYRING_FILE: tls.write(
      "jwt-keyring.json",
      serializeKeyring(await createKeyring(new Date())),
      0o600,
    ),
  };
  const admin = await createApiDependencies(loadWsServerConfig(shared), {
    logger: createLogger({ name: "abuse-admin", level: "silent" }),
  });
  const adminUser = await admin.deps.prisma.user.create({
    data: { email: "abuse-admin@example.test", passwordHash: "x", role: "ADMIN" },
  });
  const actor = { actorType: "USER" as const, actorId: adminUser.id, createdById: adminUser.id };
  const processes: RunningProcess[] = [];

  return {
    tls,
    database,
    admin,
    async spawn(env) {
      const server = spawnWsServer({ ...shared, ...env });
      let code: number | null | undefined;
      void server.exited.then((exit) => {
        code = exit;
      });
      const running: RunningProcess = {
        server,
        port: 0,
        exitCode: () => code,
      };
      processes.push(running);
      const listening = await server.waitForLog((entry) => entry.msg === "ws-server listening");
      const port = Number(new URL(String(listening.url)).port);
      return Object.assign(running, { port });
    },
    async joinGuardian(port, deviceName) {
      const vault = await createVault(admin.deps, meta, actor, {
        name: `Abuse vault ${deviceName}`,
        chain: "bitcoin",
        network: "testnet",
        threshold: 2,
        guardianCount: 3,
      });
      const invitation = await createInvitation(admin.deps, meta, actor, {
        vaultId: vault.id,
        role: "GUARDIAN",
      });
      // Raw HTTPS, as the SDK sends it: the processes stand behind a pretend load
      // balancer whose public origin this test cannot dial, so the SDK (which signs only
      // for the origin it dialled) cannot be used; the signature names the origin the
      // server names, which is what a client dialling that origin checks.
      const server = { port, ca: tls.cert };
      const identity = generateIdentityKey();
      const issued = trpcDataOf(
        await trpcMutation(server, "auth.issueJoinChallenge", {
          identityPublicKey: identity.publicKeyHex,
        }),
      );
      const challenge = {
        challenge: String(issued.challenge),
        origin: String(issued.origin),
        purpose: "guardian-join" as const,
        expiresAt: String(issued.expiresAt),
      };
      const joined = trpcDataOf(
        await trpcMutation(server, "auth.join", {
          vaultId: vault.id,
          code: invitation.code,
          identityPublicKey: identity.publicKeyHex,
          challengeId: String(issued.challengeId),
          signature: signJoinChallenge(identity, challenge.origin, challenge, {
            vaultId: vault.id,
            code: invitation.code,
          }),
          displayName: deviceName,
          deviceName,
        }),
      );
      return {
        guardianId: String(joined.guardianId),
        vaultId: vault.id,
        identity,
        accessToken: String(joined.accessToken),
        refreshToken: String(joined.refreshToken),
      };
    },
    async close() {
      for (const running of processes) {
        running.server.kill("SIGKILL");
        await running.server.exited;
      }
      await admin.close();
      await database.drop();
      tls.remove();
    },
  };
}
