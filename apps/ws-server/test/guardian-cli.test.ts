import { statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInvitation } from "@conclave/api/services/invitations/create-invitation";
import { startGuardianFrontDoor, type GuardianFrontDoor } from "./guardian-front-door";
import { runGuardianCli } from "./run-cli";

// The conclave-guardian bin as a separate process against the in-process ws-server.
// Each call spawns the CLI (several seconds under a loaded `npm test`), so the 30 s default is tight.
describe("conclave-guardian CLI", { timeout: 120_000 }, () => {
  let door: GuardianFrontDoor;
  let vaultId: string;
  let code: string;
  let stateDir: string;

  beforeAll(async () => {
    door = await startGuardianFrontDoor();
    const { prisma } = door.api.deps;
    const admin = await prisma.user.create({
      data: { email: "cli-admin@example.test", passwordHash: "x", role: "ADMIN" },
    });
    const vault = await prisma.vault.create({
      data: {
        name: "Cold storage",
        chain: "bitcoin",
        threshold: 2,
        guardianCount: 3,
        status: "INVITING",
        createdById: admin.id,
      },
    });
    vaultId = vault.id;
    const invitation = await createInvitation(
      door.api.deps,
      { ip: null, userAgent: null, requestId: "cli-test" },
      { actorType: "USER", actorId: admin.id, createdById: admin.id },
      { vaultId, role: "GUARDIAN" },
    );
    code = invitation.code;
    stateDir = door.stateDir();
  });
  afterAll(async () => {
    await door.close();
  });

  const joinArgs = () => [
    "join",
    "--server",
    door.origin,
    "--ca",
    door.tls.certFile,
    "--vault",
    vaultId,
    "--code",
    code,
    "--device",
    "cli-laptop",
    "--state-dir",
    stateDir,
  ];

  it("join redeems the invitation and stores owner-only state", async () => {
    const result = await runGuardianCli(joinArgs());
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`joined vault ${vaultId}`);
    expect(result.stdout).not.toContain(code);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(stateDir, "guardian.json")).mode & 0o777).toBe(0o600);
  });

  it("join refuses a second guardian in the same state folder", async () => {
    const result = await runGuardianCli(joinArgs());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("already holds a guardian");
  });

  it("status reaches the server over WSS with the pinned CA", async () => {
    const result = await runGuardianCli(["status", "--state-dir", stateDir]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `vault        ${vaultId} Cold storage (bitcoin mainnet, 2-of-3, INVITING)`,
    );
  });

  it("sessions lists this device's session and revokes the others", async () => {
    const list = await runGuardianCli(["sessions", "list", "--state-dir", stateDir]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\* [0-9a-f-]{36} {2}cli-laptop/u);
    const revoke = await runGuardianCli(["sessions", "revoke-others", "--state-dir", stateDir]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain("revoked 0 session(s)");
  });

  it("exits 2 with usage on missing join arguments", async () => {
    const result = await runGuardianCli(["join", "--state-dir", door.stateDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("usage: conclave-guardian");
  });
});
