import { randomBytes } from "node:crypto";
import { ed25519 } from "@noble/curves/ed25519.js";
import type { RequestFacts, RequestMeta } from "../../src/context/request-facts";
import { createApiContext } from "../../src/context/create-api-context";
import type { ApiContext } from "../../src/context/create-api-context";
import type { ApiKeyScope } from "../../src/rbac/permissions";
import { createApiKey } from "../../src/services/api-keys/create-api-key";
import { createInvitation } from "../../src/services/invitations/create-invitation";
import { createSession } from "../../src/services/sessions/create-session";
import { issueAccessToken } from "../../src/services/auth/issue-access-token";
import { signedJoin } from "./signed-join";
import type { TestApi } from "./test-api";

let counter = 0;
export const meta = (): RequestMeta => ({
  ip: "203.0.113.7",
  userAgent: "vitest",
  requestId: `req-${++counter}`,
});

export function context(
  api: TestApi,
  facts: Partial<RequestFacts> & Pick<RequestFacts, "frontDoor">,
): ApiContext {
  return createApiContext(api.deps, {
    ...meta(),
    transport: "https",
    credentials: { kind: "none" },
    ...facts,
  });
}

export async function createUser(api: TestApi, role: "ADMIN" | "VIEWER") {
  return api.prisma.user.create({
    data: {
      email: `${role.toLowerCase()}-${randomBytes(4).toString("hex")}@example.test`,
      passwordHash: "x",
      role,
    },
  });
}

export async function createVault(
  api: TestApi,
  createdById: string,
  name = "Vault",
  guardianCount = 15,
) {
  return api.prisma.vault.create({
    data: {
      name,
      chain: "bitcoin",
      threshold: 2,
      // The coordination core starts keygen (and closes the vault to joins) once
      // guardianCount members are in; identity tests join many guardians to one vault.
      guardianCount,
      status: "INVITING",
      createdById,
    },
  });
}

export function newIdentity() {
  const secretKey = ed25519.utils.randomSecretKey();
  return { secretKey, publicKeyHex: Buffer.from(ed25519.getPublicKey(secretKey)).toString("hex") };
}

export async function invite(api: TestApi, adminId: string, vaultId: string) {
  return createInvitation(
    api.deps,
    meta(),
    { actorType: "USER", actorId: adminId, createdById: adminId },
    {
      vaultId,
      role: "GUARDIAN",
    },
  );
}

export async function joinNewGuardian(
  api: TestApi,
  adminId: string,
  vaultId: string,
  deviceName = "laptop",
) {
  const invitation = await invite(api, adminId, vaultId);
  const identity = newIdentity();
  const joined = await signedJoin(api, meta(), {
    vaultId,
    code: invitation.code,
    identity,
    deviceName,
  });
  return { ...joined, identity, code: invitation.code };
}

export async function userSession(api: TestApi, userId: string, role: "ADMIN" | "VIEWER") {
  const session = await api.prisma.$transaction((tx) =>
    createSession(tx, api.deps, meta(), {
      subjectType: "USER",
      subjectId: userId,
      deviceName: null,
      withRefreshToken: false,
    }),
  );
  const access = await issueAccessToken(api.deps, {
    frontDoor: "console",
    subjectId: userId,
    sessionId: session.sessionId,
    role,
  });
  return { sessionId: session.sessionId, ...access };
}

export async function apiKey(api: TestApi, adminId: string, scopes: ApiKeyScope[]) {
  return createApiKey(
    api.deps,
    meta(),
    { actorType: "USER", actorId: adminId, createdById: adminId },
    {
      name: "test key",
      scopes,
      expiresInDays: 30,
    },
  );
}
