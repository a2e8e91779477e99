import { hashPassword } from "@conclave/auth/password-hash";
import { generateTotp, generateTotpSecret } from "@conclave/auth/totp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimitedError } from "../../packages/api/src/abuse/rate-limited-error";
import { InvalidRequestError } from "../../packages/api/src/errors/invalid-request-error";
import { beginCredentialSetup } from "../../packages/api/src/services/auth/begin-credential-setup";
import { confirmFreshCredentials } from "../../packages/api/src/services/auth/confirm-fresh-credentials";
import { ConsoleAuthError } from "../../packages/api/src/services/auth/console-auth-error";
import { guardConsoleCredentials } from "../../packages/api/src/services/auth/guard-console-credentials";
import { signInConsoleUser } from "../../packages/api/src/services/auth/sign-in-console-user";
import {
  createConsoleUser,
  disableConsoleUser,
} from "../../packages/api/src/services/users/manage-console-users";
import { createTestApi, type TestApi } from "../../packages/api/test/support/test-api";

const password = "correct horse battery staple";
const meta = () => ({ ip: "127.0.0.1", userAgent: "vitest", requestId: "req-console-auth" });

let api: TestApi;

async function user(email: string, options: { mustChange?: boolean; disabled?: boolean } = {}) {
  const totpSecret = options.mustChange ? null : generateTotpSecret();
  const row = await api.prisma.user.create({
    data: {
      email,
      role: "ADMIN",
      passwordHash: await hashPassword(password),
      totpSecret,
      mustChangeCredentials: options.mustChange ?? false,
      disabledAt: options.disabled ? api.clock.now() : null,
    },
  });
  return { id: row.id, email, totpSecret: totpSecret ?? "" };
}

function code(secret: string, offsetSteps = 0): string {
  return generateTotp(secret, new Date(api.clock.now().getTime() + offsetSteps * 30_000));
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConsoleAuthError);
  return (error as ConsoleAuthError).authReason;
}

beforeAll(async () => {
  api = await createTestApi();
});

afterAll(async () => {
  await api.close();
});

describe("console sign-in service", () => {
  it("gives one error for an unknown email, a wrong password, a wrong code and a disabled account", async () => {
    const ada = await user("ada@console-auth.test");
    const dis = await user("dis@console-auth.test", { disabled: true });
    const attempts = [
      { email: "nobody@console-auth.test", password, totpCode: code(ada.totpSecret) },
      { email: ada.email, password: "wrong password here", totpCode: code(ada.totpSecret) },
      {
        email: ada.email,
        password,
        totpCode: "000000" === code(ada.totpSecret) ? "111111" : "000000",
      },
      { email: dis.email, password, totpCode: code(dis.totpSecret) },
    ];
    const messages: string[] = [];
    for (const attempt of attempts) {
      const error = await signInConsoleUser(api.deps, meta(), attempt).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConsoleAuthError);
      messages.push((error as Error).message);
    }
    expect(new Set(messages).size).toBe(1);
    const failures = await api.prisma.auditEvent.findMany({
      where: { action: "user_login_failed" },
      orderBy: { seq: "asc" },
    });
    expect(failures.map((row) => (row.details as { reason: string }).reason)).toEqual([
      "unknown_email",
      "wrong_password",
      "wrong_factor",
      "disabled",
    ]);
    expect(JSON.stringify(failures.map((row) => row.details))).not.toContain(password);
    expect(await api.prisma.securityEvent.count({ where: { kind: "console.login_failed" } })).toBe(
      4,
    );
    expect(await api.prisma.session.count()).toBe(0);
  });

  it("opens a USER session, refuses the same code again, and keeps at most 3 sessions", async () => {
    const bob = await user("bob@console-auth.test");
    const first = await signInConsoleUser(api.deps, meta(), {
      email: " BOB@console-auth.test ",
      password,
      totpCode: code(bob.totpSecret),
    });
    expect(first.userId).toBe(bob.id);
    const login = await api.prisma.auditEvent.findFirstOrThrow({
      where: { action: "user_login", actorId: bob.id },
    });
    expect(login.targetId).toBe(first.sessionId);

    expect(
      await refusal(
        signInConsoleUser(api.deps, meta(), {
          email: bob.email,
          password,
          totpCode: code(bob.totpSecret),
        }),
      ),
    ).toBe("invalid_credentials");

    const later: string[] = [];
    for (let step = 1; step <= 3; step += 1) {
      api.clock.advance(30_000);
      const next = await signInConsoleUser(api.deps, meta(), {
        email: bob.email,
        password,
        totpCode: code(bob.totpSecret),
      });
      later.push(next.sessionId);
    }
    const live = await api.prisma.session.findMany({
      where: { subjectType: "USER", subjectId: bob.id, revokedAt: null },
    });
    expect(live.map((session) => session.id).sort()).toEqual([...later].sort());
    const evicted = await api.prisma.session.findUniqueOrThrow({ where: { id: first.sessionId } });
    expect(evicted.revokeReason).toBe("session_limit");
  });

  it("makes a must-change account enrol TOTP and set a new password before it gets a session", async () => {
    const eve = await user("eve@console-auth.test", { mustChange: true });
    expect(
      await refusal(
        signInConsoleUser(api.deps, meta(), { email: eve.email, password, totpCode: "" }),
      ),
    ).toBe("setup_required");
    await expect(
      beginCredentialSetup(api.deps, meta(), { email: eve.email, password: "wrong password here" }),
    ).rejects.toBeInstanceOf(ConsoleAuthError);
    const setup = await beginCredentialSetup(api.deps, meta(), { email: eve.email, password });
    expect(setup.otpauthUri).toContain(`secret=${setup.manualKey}`);
    expect(
      await refusal(
        signInConsoleUser(api.deps, meta(), {
          email: eve.email,
          password,
          totpCode: code(setup.manualKey),
          newPassword: "short",
        }),
      ),
    ).toBe("password_policy");
    const signedIn = await signInConsoleUser(api.deps, meta(), {
      email: eve.email,
      password,
      totpCode: code(setup.manualKey),
      newPassword: "a much longer new password",
    });
    const row = await api.prisma.user.findUniqueOrThrow({ where: { id: eve.id } });
    expect(row.mustChangeCredentials).toBe(false);
    expect(signedIn.sessionId).toBeTruthy();
    // The one-time password is spent; the new one works with a later code.
    api.clock.advance(30_000);
    expect(
      await refusal(
        signInConsoleUser(api.deps, meta(), {
          email: eve.email,
          password,
          totpCode: code(setup.manualKey),
        }),
      ),
    ).toBe("invalid_credentials");
    await signInConsoleUser(api.deps, meta(), {
      email: eve.email,
      password: "a much longer new password",
      totpCode: code(setup.manualKey),
    });
  });

  it("re-authenticates with the password or a fresh code, and refuses the last sign-in's code", async () => {
    const kim = await user("kim@console-auth.test");
    api.clock.advance(30_000);
    const usedCode = code(kim.totpSecret);
    const signedIn = await signInConsoleUser(api.deps, meta(), {
      email: kim.email,
      password,
      totpCode: usedCode,
    });
    const principal = {
      kind: "session" as const,
      subjectType: "USER" as const,
      subjectId: kim.id,
      role: "ADMIN" as const,
      sessionId: signedIn.sessionId,
      accessTokenExpiresAt: null,
    };
    await expect(
      confirmFreshCredentials(api.deps, meta(), principal, { password: "not the password" }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      confirmFreshCredentials(api.deps, meta(), principal, { totpCode: usedCode }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await confirmFreshCredentials(api.deps, meta(), principal, { password });
    const reauthCode = code(kim.totpSecret, 1);
    await confirmFreshCredentials(api.deps, meta(), principal, { totpCode: reauthCode });
    // A code spent on re-authentication is spent: not again, and not for a sign-in.
    await expect(
      confirmFreshCredentials(api.deps, meta(), principal, { totpCode: reauthCode }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      signInConsoleUser(api.deps, meta(), { email: kim.email, password, totpCode: reauthCode }),
    ).rejects.toThrow();
  });

  it("creates users with a one-time password kept out of the audit, and disabling ends their sessions", async () => {
    const boss = await user("boss@console-auth.test");
    const actor = { actorType: "USER" as const, actorId: boss.id };
    const created = await createConsoleUser(api.deps, meta(), actor, {
      email: "New.Viewer@console-auth.test",
      role: "VIEWER",
    });
    expect(created.email).toBe("new.viewer@console-auth.test");
    const audit = await api.prisma.auditEvent.findFirstOrThrow({
      where: { action: "user_create", targetId: created.id },
    });
    expect(JSON.stringify(audit.details)).not.toContain(created.oneTimePassword);
    await expect(
      createConsoleUser(api.deps, meta(), actor, { email: created.email, role: "ADMIN" }),
    ).rejects.toThrow(/exists/);

    const victim = await user("victim@console-auth.test");
    const session = await signInConsoleUser(api.deps, meta(), {
      email: victim.email,
      password,
      totpCode: code(victim.totpSecret),
    });
    await expect(
      disableConsoleUser(api.deps, meta(), actor, { userId: boss.id }),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    await disableConsoleUser(api.deps, meta(), actor, { userId: victim.id });
    const revoked = await api.prisma.session.findUniqueOrThrow({
      where: { id: session.sessionId },
    });
    expect(revoked.revokeReason).toBe("revoked_by_admin");
    expect(
      await api.prisma.auditEvent.count({ where: { action: "user_disable", targetId: victim.id } }),
    ).toBe(1);
  });
});

describe("console credential guard (in-memory abuse protection)", () => {
  let guarded: TestApi;
  const from = (ip: string) => ({ ip, userAgent: "vitest", requestId: "req-console-guard" });

  beforeAll(async () => {
    guarded = await createTestApi({
      abuse: { limits: { login: { max: 5 } }, authFailures: { banThreshold: 3 } },
    });
  });

  afterAll(async () => {
    await guarded.close();
  });

  async function seed(email: string, mustChange = false) {
    const totpSecret = mustChange ? null : generateTotpSecret();
    await guarded.prisma.user.create({
      data: {
        email,
        role: "ADMIN",
        passwordHash: await hashPassword(password),
        totpSecret,
        mustChangeCredentials: mustChange,
      },
    });
    return totpSecret ?? "";
  }

  function guardedSignIn(ip: string, input: { email: string; password: string; totpCode: string }) {
    return guardConsoleCredentials(guarded.deps, from(ip), input.email, () =>
      signInConsoleUser(guarded.deps, from(ip), input),
    );
  }

  it("counts an unknown email, a wrong password and a wrong code alike, and bans at the threshold", async () => {
    const secret = await seed("ban@console-guard.test");
    const ip = "192.0.2.5";
    const good = generateTotp(secret, guarded.clock.now());
    const failures = [
      { email: "nobody@console-guard.test", password, totpCode: good },
      { email: "BAN@console-guard.test", password: "wrong password here", totpCode: good },
      {
        email: "ban@console-guard.test",
        password,
        totpCode: good === "000000" ? "111111" : "000000",
      },
    ];
    for (const input of failures) {
      expect(await refusal(guardedSignIn(ip, input))).toBe("invalid_credentials");
    }
    const banned = await guardedSignIn(ip, {
      email: "ban@console-guard.test",
      password,
      totpCode: good,
    }).catch((error: unknown) => error);
    expect(banned).toBeInstanceOf(RateLimitedError);
    expect((banned as RateLimitedError).reason).toBe("banned");
    expect(await guarded.prisma.ban.count({ where: { ip, liftedAt: null } })).toBe(1);
    // Another address is not affected.
    const other = await guardedSignIn("192.0.2.6", {
      email: "ban@console-guard.test",
      password,
      totpCode: generateTotp(secret, new Date(guarded.clock.now().getTime() + 30_000)),
    });
    expect(other.sessionId).toBeTruthy();
  });

  it("spends the per-IP login budget on every attempt but never counts setup_required as a failure", async () => {
    await seed("setup@console-guard.test", true);
    const ip = "192.0.2.7";
    const input = { email: "setup@console-guard.test", password, totpCode: "" };
    // Five attempts, past the ban threshold of 3: none of them is a failure.
    for (let i = 0; i < 5; i += 1) {
      expect(await refusal(guardedSignIn(ip, input))).toBe("setup_required");
    }
    const limited = await guardedSignIn(ip, input).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).reason).toBe("rate_limited");
    expect((limited as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect(await guarded.prisma.ban.count({ where: { ip } })).toBe(0);
  });
});
