import { TRPCError } from "@trpc/server";
import type { AnyTRPCRouter } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Credentials, FrontDoor } from "../src/context/request-facts";
import type { ApiKeyScope, Permission } from "../src/rbac/permissions";
import {
  apiKeyScopePermissions,
  apiKeyScopes,
  isApiKeyPermission,
  roleHasPermission,
} from "../src/rbac/permissions";
import { consoleRoot } from "../src/routers/console-root";
import { guardianHttpRoot } from "../src/routers/guardian-http-root";
import { guardianRoot } from "../src/routers/guardian-root";
import { createSession } from "../src/services/sessions/create-session";
import { issueAccessToken } from "../src/services/auth/issue-access-token";
import type { ProcedureMeta } from "../src/trpc";
import { createCallerFactory } from "../src/trpc";
import {
  apiKey,
  context,
  createUser,
  createVault,
  joinNewGuardian,
  meta,
} from "./support/fixtures";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

type Persona =
  "anonymous" | "viewer" | "guardianA" | "guardianB" | "admin" | "keyWithScope" | "keyWithoutScope";
const personas: Persona[] = [
  "anonymous",
  "viewer",
  "guardianA",
  "guardianB",
  "admin",
  "keyWithScope",
  "keyWithoutScope",
];
type Outcome = "allow" | 401 | 403;

const roots: [string, FrontDoor, AnyTRPCRouter][] = [
  ["console", "console", consoleRoot],
  ["guardian", "guardian", guardianRoot],
  ["guardianHttp", "guardian", guardianHttpRoot],
];

function proceduresOf(root: AnyTRPCRouter): [string, ProcedureMeta | undefined][] {
  const record = root._def.procedures as Record<string, { _def: { meta?: ProcedureMeta } }>;
  return Object.entries(record).map(([path, procedure]) => [path, procedure._def.meta]);
}

function scopeFor(permission: Permission | null): ApiKeyScope {
  const granting = apiKeyScopes.find((scope) =>
    permission === null
      ? false
      : (apiKeyScopePermissions[scope] as readonly Permission[]).includes(permission),
  );
  return granting ?? "users:read";
}

function scopeWithout(permission: Permission | null): ApiKeyScope {
  const lacking = apiKeyScopes.find((scope) =>
    permission === null
      ? true
      : !(apiKeyScopePermissions[scope] as readonly Permission[]).includes(permission),
  );
  if (!lacking) throw new Error(`every scope grants ${String(permission)}`);
  return lacking;
}

function expected(meta: ProcedureMeta, persona: Persona): Outcome {
  if (meta.access === "public") return "allow";
  if (persona === "anonymous") return 401;
  const isKey = persona === "keyWithScope" || persona === "keyWithoutScope";
  if (meta.access === "authenticated") return isKey ? 403 : "allow";
  if (isKey)
    return persona === "keyWithScope" && isApiKeyPermission(meta.permission) ? "allow" : 403;
  const role = persona === "viewer" ? "VIEWER" : persona === "admin" ? "ADMIN" : "GUARDIAN";
  if (!roleHasPermission(role, meta.permission)) return 403;
  // The dummy input names vault A: guardian B is not a member.
  if (meta.vaultScoped && persona === "guardianB") return 403;
  return "allow";
}

// Every rule a procedure declares besides its permission, as "limit | reauthentication |
// recordDenials" ("-" for none): the per-IP or per-transaction limit, the fresh
// credential asked in the same request, and the operation under which refusals of the
// service are recorded as coordination_denied. Dropping or changing a guard, or adding
// a procedure without choosing its guards here, fails the test below.
const declaredGuards: Record<string, string> = {
  "console:sessions.list": "- | - | -",
  "console:sessions.revoke": "- | - | -",
  "console:sessions.revokeOthers": "- | - | -",
  "console:logout": "- | - | -",
  "console:admin.invitations.create": "- | - | -",
  "console:admin.invitations.list": "- | - | -",
  "console:admin.invitations.revoke": "- | - | -",
  "console:admin.sessions.listForSubject": "- | - | -",
  "console:admin.sessions.revoke": "- | - | -",
  "console:admin.apiKeys.create": "- | - | -",
  "console:admin.apiKeys.list": "- | - | -",
  "console:admin.apiKeys.revoke": "- | - | -",
  "console:admin.users.list": "- | - | -",
  "console:admin.vaults.create": "- | - | vaults.create",
  "console:admin.vaults.detail": "- | - | -",
  "console:admin.vaults.disable": "- | fresh-credentials | vaults.disable",
  "console:admin.vaults.delete": "- | fresh-credentials | vaults.delete",
  "console:admin.vaults.list": "- | - | -",
  "console:admin.vaults.get": "- | - | -",
  "console:admin.transactions.create": "- | - | transactions.create",
  "console:admin.transactions.importPsbt": "- | - | transactions.importPsbt",
  "console:admin.transactions.list": "- | - | -",
  "console:admin.transactions.get": "- | - | -",
  "console:admin.transactions.cancel": "- | - | transactions.cancel",
  "console:admin.bans.list": "- | - | -",
  "console:admin.bans.lift": "- | - | -",
  "console:console.dashboard": "- | - | -",
  "console:console.audit.list": "- | - | -",
  "console:console.audit.verifyChain": "- | - | -",
  "console:console.guardians.list": "- | - | -",
  "console:console.securityEvents.list": "- | - | -",
  "console:admin.users.create": "- | - | -",
  "console:admin.users.disable": "- | - | -",
  "guardian:auth.issueJoinChallenge": "joinChallenge | - | -",
  "guardian:auth.join": "join | - | -",
  "guardian:auth.issueChallenge": "challenge | - | -",
  "guardian:auth.login": "login | - | -",
  "guardian:auth.refresh": "refresh | - | -",
  "guardian:auth.logout": "- | - | -",
  "guardian:auth.renewSocketToken": "- | - | -",
  "guardian:sessions.list": "- | - | -",
  "guardian:sessions.revoke": "- | - | -",
  "guardian:sessions.revokeOthers": "- | - | -",
  "guardian:vaults.list": "- | - | -",
  "guardian:vaults.get": "- | - | -",
  "guardian:keygen.state": "- | - | -",
  "guardian:keygen.submitRound1": "- | - | keygen.submitRound1",
  "guardian:keygen.submitRound2": "- | - | keygen.submitRound2",
  "guardian:keygen.submitRound3": "- | - | keygen.submitRound3",
  "guardian:transactions.listForGuardian": "- | - | -",
  "guardian:transactions.get": "- | - | -",
  "guardian:signing.commit": "signingAttempt | - | signing.commit",
  "guardian:signing.submitShare": "signingAttempt | - | signing.submitShare",
  "guardian:events.subscribe": "- | - | -",
  "guardianHttp:auth.issueJoinChallenge": "joinChallenge | - | -",
  "guardianHttp:auth.join": "join | - | -",
  "guardianHttp:auth.issueChallenge": "challenge | - | -",
  "guardianHttp:auth.login": "login | - | -",
  "guardianHttp:auth.refresh": "refresh | - | -",
  "guardianHttp:auth.logout": "- | - | -",
  "guardianHttp:auth.renewSocketToken": "- | - | -",
};

function guardsOf(procedureMeta: ProcedureMeta): string {
  const limit = procedureMeta.access === "authenticated" ? undefined : procedureMeta.limit;
  const permissionMeta = procedureMeta.access === "permission" ? procedureMeta : undefined;
  return [limit, permissionMeta?.reauthentication, permissionMeta?.recordDenials]
    .map((guard) => guard ?? "-")
    .join(" | ");
}

describe("access matrix generated from the routers", () => {
  let api: TestApi;
  let vaultAId: string;
  let subjects: { viewer: string; admin: string; guardianA: string; guardianB: string };

  beforeAll(async () => {
    api = await createTestApi();
    const admin = await createUser(api, "ADMIN");
    const viewer = await createUser(api, "VIEWER");
    const vaultA = await createVault(api, admin.id, "A");
    const vaultB = await createVault(api, admin.id, "B");
    vaultAId = vaultA.id;
    const guardianA = await joinNewGuardian(api, admin.id, vaultA.id);
    const guardianB = await joinNewGuardian(api, admin.id, vaultB.id);
    subjects = {
      viewer: viewer.id,
      admin: admin.id,
      guardianA: guardianA.guardianId,
      guardianB: guardianB.guardianId,
    };
  });
  afterAll(async () => api.close());

  // Each call gets a fresh session, so procedures that end a session (logout,
  // revokeOthers) cannot spoil the personas for the calls after them.
  async function credentialsFor(
    persona: Persona,
    door: FrontDoor,
    meta_: ProcedureMeta,
  ): Promise<Credentials> {
    if (persona === "anonymous") return { kind: "none" };
    const permission = meta_.access === "permission" ? meta_.permission : null;
    if (persona === "keyWithScope" || persona === "keyWithoutScope") {
      const scope = persona === "keyWithScope" ? scopeFor(permission) : scopeWithout(permission);
      return { kind: "bearer", token: (await apiKey(api, subjects.admin, [scope])).key };
    }
    const subjectType = persona === "viewer" || persona === "admin" ? "USER" : "GUARDIAN";
    const role = persona === "viewer" ? "VIEWER" : persona === "admin" ? "ADMIN" : "GUARDIAN";
    const subjectId = subjects[persona];
    const session = await api.prisma.$transaction((tx) =>
      createSession(tx, api.deps, meta(), {
        subjectType,
        subjectId,
        deviceName: null,
        withRefreshToken: false,
      }),
    );
    const access = await issueAccessToken(api.deps, {
      frontDoor: door,
      subjectId,
      sessionId: session.sessionId,
      role,
    });
    return { kind: "bearer", token: access.accessToken };
  }

  async function call(
    root: AnyTRPCRouter,
    door: FrontDoor,
    path: string,
    credentials: Credentials,
  ): Promise<Outcome> {
    const caller = createCallerFactory(root)(context(api, { frontDoor: door, credentials }));
    const procedure = path
      .split(".")
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
    try {
      await (procedure as (input: unknown) => Promise<unknown>)({ vaultId: vaultAId });
      return "allow";
    } catch (error) {
      if (!(error instanceof TRPCError)) throw error;
      if (error.code === "UNAUTHORIZED") return 401;
      if (error.code === "FORBIDDEN") return 403;
      return "allow";
    }
  }

  it("every procedure declares its access", () => {
    for (const [, , root] of roots) {
      for (const [path, procedureMeta] of proceduresOf(root)) {
        expect(procedureMeta?.access, path).toMatch(/^(public|authenticated|permission)$/);
      }
    }
  });

  it("reports the guards every procedure declares, as the checked-in table says", () => {
    const report: Record<string, string> = {};
    for (const [name, , root] of roots) {
      for (const [path, procedureMeta] of proceduresOf(root)) {
        if (!procedureMeta) throw new Error(`${name}:${path} has no meta`);
        report[`${name}:${path}`] = guardsOf(procedureMeta);
      }
    }
    expect(report).toEqual(declaredGuards);
  });

  it("no admin procedure is reachable through the guardian front door", () => {
    for (const [name, door, root] of roots) {
      if (door !== "guardian") continue;
      for (const [path, procedureMeta] of proceduresOf(root)) {
        const adminOnly =
          procedureMeta?.access === "permission" && isApiKeyPermission(procedureMeta.permission);
        expect(adminOnly, `${name}:${path}`).toBe(false);
      }
    }
  });

  for (const [name, door, root] of roots) {
    it(`${name}: every procedure x every persona gets allow, 401 or 403 as the permission table says`, async () => {
      const procedures = proceduresOf(root);
      expect(procedures.length).toBeGreaterThan(0);
      const mismatches: string[] = [];
      let checked = 0;
      for (const [path, procedureMeta] of procedures) {
        if (!procedureMeta) throw new Error(`${path} has no meta`);
        for (const persona of personas) {
          const credentials = await credentialsFor(persona, door, procedureMeta);
          const outcome = await call(root, door, path, credentials);
          const want = expected(procedureMeta, persona);
          checked++;
          if (outcome !== want)
            mismatches.push(`${path} as ${persona}: got ${outcome}, want ${want}`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(checked).toBe(procedures.length * personas.length);
      // Hundreds of real sessions and calls; generous because CI shares two cores.
    }, 300_000);
  }
});
