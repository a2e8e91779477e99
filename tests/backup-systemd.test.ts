// deploy/systemd/conclave-backup.{service,timer} checked by the real systemd-analyze,
// and the commands they run exist in the operator CLI.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BACKUP_USAGE } from "@conclave/ws-server/cli/commands/backup/backup-command";
import { systemdAnalyzeTool } from "../scripts/test-services/deploy-tools";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";

const run = promisify(execFile);
const unitsDir = path.resolve(import.meta.dirname, "../deploy/systemd");
const service = readFileSync(path.join(unitsDir, "conclave-backup.service"), "utf8");
const timer = readFileSync(path.join(unitsDir, "conclave-backup.timer"), "utf8");

async function verify(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-units-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const paths = Object.keys(files).map((name) => path.join(dir, name));
    const result = await run(provisionedTool(systemdAnalyzeTool), ["verify", ...paths]).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: unknown) => {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: failed.code ?? 1, output: (failed.stdout ?? "") + (failed.stderr ?? "") };
      },
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("conclave-backup systemd units", () => {
  it("pass systemd-analyze verify without a warning", async () => {
    const result = await verify({
      "conclave-backup.service": service,
      "conclave-backup.timer": timer,
    });
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  it("a broken copy fails the same check (the check can fail)", async () => {
    const result = await verify({
      "conclave-backup.service": service.replace("Type=oneshot", "Type=oneshto"),
      "conclave-backup.timer": timer,
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/Failed to parse service type/u);
  });

  it("run daily, catch up after downtime, and start the backup service", () => {
    expect(timer).toMatch(/^OnCalendar=\*-\*-\* \d\d:\d\d:00 UTC$/mu);
    expect(timer).toMatch(/^Persistent=true$/mu);
    expect(timer).toMatch(/^Unit=conclave-backup\.service$/mu);
  });

  it("run only commands the operator CLI has: backup create, then backup prune", () => {
    const commands = [
      ...service.matchAll(/^ExecStart=\/usr\/bin\/node \S+\/conclave\.mjs (.+)$/gmu),
    ].map((match) => match[1]);
    expect(commands).toEqual(["backup create", "backup prune"]);
    for (const command of commands) expect(BACKUP_USAGE).toContain(`  ${command ?? ""}`);
    expect(service).toMatch(/^UMask=0077$/mu);
    // conclave.mjs is the operator CLI in the compiled build the other units run.
    const build = readFileSync(
      path.resolve(unitsDir, "../../scripts/build/build-ws-server.ts"),
      "utf8",
    );
    expect(build).toContain('conclave: "src/cli/conclave.ts"');
  });
});
