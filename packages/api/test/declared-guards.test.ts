import { hashPassword } from "@conclave/auth/password-hash";
import { generateTotp, generateTotpSecret, TOTP_PERIOD_SECONDS } from "@conclave/auth/totp";
import { TRPCError } from "@trpc/server";
import type { AnyTRPCProcedure, AnyTRPCRouter } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Credentials, FrontDoor } from "../src/context/request-facts";
import type { ApiKeyScope } from "../src/rbac/permissions";
import { consoleRoot } from "../src/routers/console-root";
import { guardianRoot } from "../src/routers/guardian-root";
import { createCallerFactory, router } from "../src/trpc";
import {
  apiKey,
  context,
  createUser,
  createVault,
  joinNewGuardian,
  newIdentity,
  userSession,
} from "./support/fixtures";
import { validSamples } from "./support/fuzz-samples";
import type { TestApi } from "./support/test-api";
import { createTestApi } from "./support/test-api";

function procedureAt(root: AnyTRPCRouter, path: string): AnyTRPCProcedure {
  const procedure = (root._def.procedures as Record<string, AnyTRPCProcedure | undefined>)[path];
  if (!procedure) throw new Error(`no procedure ${path}`);
  return procedure;
}

// The guarded procedures mounted under keys that appear in no table or path set: the
// guards travel with the procedure, not with its name.
const renamed = router({
  elsewhere: router({
    challenge: procedureAt(guardianRoot, "auth.issueChallenge"),
    commit: procedureAt(guardianRoot, "signing.commit"),
    retire: procedureAt(consoleRoot, "admin.vaults.disable"),
  }),
});

/** "ok", or the refusal as CODE or CODE:reason. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const reason = (error.cause as { reason?: unknown } | undefined)?.reason;
    return typeof reason === "string" ? `${error.code}:${reason}` : error.code;
  }
}

/** A six-digit code valid in none of the steps the server accepts around `now`. */
function wrongCode(secret: string, now: Date): string {
  const step = TOTP_PERIOD_SECONDS * 1000;
  const valid = new Set(
    [-1, 0, 1].map((offset) => generateTotp(secret, new Date(now.getTime() + offset * step))),
  );
  for (let candidate = 0; ; candidate++) {
    const code = String(candidate).padStart(6, "0");
    if (!valid.has(code)) return code;
  }
}

describe("guards are declared on the procedure and enforced whatever its name", () => {
  let api: TestApi;
  let adminId: string;
  const password = "declared guards admin password";

  beforeAll(async () => {
    api = await createTestApi({
      abuse: {
        limits: { challenge: { max: 2 }, signingAttempt: { max: 1 } },
        // A loaded CI machine must not make the in-memory backend "time out" into
        // local counting, which starts from zero.
        backendTimeoutMs: 10_000,
      },
    });
    const admin = await createUser(api, "ADMIN");
    adminId = admin.id;
    await api.prisma.user.update({
      where: { id: adminId },
      data: { passwordHash: await hashPassword(password) },
    });
  });
  afterAll(async () => api.close());

  function call(
    root: AnyTRPCRouter,
    door: FrontDoor,
    credentials: Credentials,
    path: string,
    input: unknown,
  ): Promise<unknown> {
    const caller = createCallerFactory(root)(context(api, { frontDoor: door, credentials }));
    const procedure = path
      .split(".")
      .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
    return (procedure as (input: unknown) => Promise<unknown>)(input);
  }

  async function adminBearer(): Promise<Credentials> {
    return { kind: "bearer", token: (await userSession(api, adminId, "ADMIN")).accessToken };
  }

  function securityEvents(kind: string, subjectId: string) {
    return api.prisma.securityEvent.findMany({
      where: { kind, subjectId },
      orderBy: { at: "asc" },
    });
  }

  it("keeps the per-IP limit of a public procedure", async () => {
    const anonymous: Credentials = { kind: "none" };
    const results: string[] = [];
    for (let i = 0; i < 3; i++) {
      results.push(
        await outcome(
          call(renamed, "guardian", anonymous, "elsewhere.challenge", {
            identityPublicKey: newIdentity().publicKeyHex,
          }),
        ),
      );
    }
    expect(results).toEqual(["ok", "ok", "TOO_MANY_REQUESTS:rate_limited"]);
  });

  it("keeps the signing-attempt limit and the denial recording of a guardian submission", async () => {
    const vault = await createVault(api, adminId, "Signing guard");
    const guardian = await joinNewGuardian(api, adminId, vault.id);
    const credentials: Credentials = { kind: "bearer", token: guardian.accessToken };
    const input = validSamples({ vaultId: vault.id })["signing.commit"];
    const first = await outcome(call(renamed, "guardian", credentials, "elsewhere.commit", input));
    const second = await outcome(call(renamed, "guardian", credentials, "elsewhere.commit", input));
    // The sample's commitment is refused by the service: a denial to record.
    expect(first).toBe("BAD_REQUEST:invalid_commitment");
    expect(second).toBe("TOO_MANY_REQUESTS:rate_limited");
    const denials = await securityEvents("coordination_denied", guardian.guardianId);
    expect(denials.map((event) => (event.details as { operation: string }).operation)).toEqual([
      "signing.commit",
    ]);
  });

  it("keeps the re-authentication and the denial recording of a vault's disabling", async () => {
    const vault = await createVault(api, adminId, "Renamed retire");
    const credentials = await adminBearer();
    const retire = (input: Record<string, unknown>) =>
      outcome(call(renamed, "console", credentials, "elsewhere.retire", input));
    const named = { vaultId: vault.id, confirmName: vault.name };

    expect(await retire(named)).toBe("BAD_REQUEST");
    expect(await retire({ ...named, password: "not the password" })).toBe(
      "BAD_REQUEST:reauthentication_failed",
    );
    expect(await securityEvents("console.reauthentication_failed", adminId)).toHaveLength(1);
    expect(await retire({ ...named, confirmName: "renamed retire", password })).toBe(
      "BAD_REQUEST:confirmation_mismatch",
    );
    const denials = await securityEvents("coordination_denied", adminId);
    expect(denials.map((event) => event.details)).toEqual([
      expect.objectContaining({ operation: "vaults.disable", reason: "confirmation_mismatch" }),
    ]);
    expect((await api.prisma.vault.findUniqueOrThrow({ where: { id: vault.id } })).status).toBe(
      "INVITING",
    );
    expect(await retire({ ...named, password })).toBe("ok");
    expect((await api.prisma.vault.findUniqueOrThrow({ where: { id: vault.id } })).status).toBe(
      "DISABLED",
    );
  });
});

describe("an API key disables or deletes a vault only with its scope and its owner's code", () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await createTestApi();
  });
  afterAll(async () => api.close());

  async function ownerWithKey(scopes: ApiKeyScope[]) {
    const owner = await createUser(api, "ADMIN");
    const totpSecret = generateTotpSecret();
    const password = "key owner password";
    await api.prisma.user.update({
      where: { id: owner.id },
      data: { totpSecret, passwordHash: await hashPassword(password) },
    });
    const key = await apiKey(api, owner.id, scopes);
    const vault = await createVault(api, owner.id, `Key vault ${owner.id.slice(0, 8)}`);
    const credentials: Credentials = { kind: "bearer", token: key.key };
    const remove = (extra: Record<string, unknown>) =>
      outcome(
        createCallerFactory(consoleRoot)(
          context(api, { frontDoor: "console", credentials }),
        ).admin.vaults.delete({
          vaultId: vault.id,
          confirmName: vault.name,
          ...extra,
        }),
      );
    const status = async () =>
      (await api.prisma.vault.findUniqueOrThrow({ where: { id: vault.id } })).status;
    return { owner, totpSecret, password, key, vault, remove, status };
  }

  it("refuses a key without vaults:destroy, even one with vaults:write", async () => {
    const { totpSecret, remove, status } = await ownerWithKey(["vaults:write"]);
    expect(await remove({ totpCode: generateTotp(totpSecret, api.clock.now()) })).toBe(
      "FORBIDDEN:scope_missing",
    );
    expect(await status()).toBe("INVITING");
  });

  it("asks the key for its owner's current code: no code, the owner's password or a wrong code are refused and recorded", async () => {
    const { owner, totpSecret, password, key, vault, remove, status } = await ownerWithKey([
      "vaults:destroy",
    ]);
    expect(await remove({})).toBe("BAD_REQUEST");
    expect(await remove({ password })).toBe("BAD_REQUEST:reauthentication_failed");
    expect(await remove({ totpCode: wrongCode(totpSecret, api.clock.now()) })).toBe(
      "BAD_REQUEST:reauthentication_failed",
    );
    const failures = await api.prisma.securityEvent.findMany({
      where: { kind: "console.reauthentication_failed", subjectId: key.id },
    });
    expect(failures.map((event) => [event.subjectType, event.details])).toEqual([
      ["API_KEY", expect.objectContaining({ keyOwnerId: owner.id })],
      ["API_KEY", expect.objectContaining({ keyOwnerId: owner.id })],
    ]);
    expect(await status()).toBe("INVITING");

    expect(await remove({ totpCode: generateTotp(totpSecret, api.clock.now()) })).toBe("ok");
    expect(await status()).toBe("DELETED");
    const audit = await api.prisma.auditEvent.findFirstOrThrow({
      where: { action: "vault_delete", targetId: vault.id },
    });
    expect([audit.actorType, audit.actorId]).toEqual(["API_KEY", key.id]);
  });

  it("counts wrong codes toward backoff: past the free failures even the right code waits", async () => {
    const { totpSecret, remove, status } = await ownerWithKey(["vaults:destroy"]);
    const wrong = wrongCode(totpSecret, api.clock.now());
    for (let i = 0; i < 4; i++) {
      expect(await remove({ totpCode: wrong })).toBe("BAD_REQUEST:reauthentication_failed");
    }
    const right = generateTotp(totpSecret, api.clock.now());
    expect(await remove({ totpCode: right })).toBe("TOO_MANY_REQUESTS:backoff");
    expect(await status()).toBe("INVITING");
    api.clock.advance(2_000);
    expect(await remove({ totpCode: generateTotp(totpSecret, api.clock.now()) })).toBe("ok");
    expect(await status()).toBe("DELETED");
  });
});
