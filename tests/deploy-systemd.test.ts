// deploy/systemd checked by systemd's own tools: `systemd-analyze verify` and the
// offline `systemd-analyze security` review (exposure at most 2.0, "OK" or better).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemdAnalyzeTool } from "../scripts/test-services/deploy-tools";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";

const unitsDir = path.join(import.meta.dirname, "../deploy/systemd");
const units = {
  "conclave-ws-server.service": [
    "DATABASE_URL",
    "DATABASE_MIGRATION_URL",
    "REDIS_URL",
    "INVITE_CODE_PEPPER",
    "API_KEY_PEPPER",
    "REFRESH_TOKEN_PEPPER",
    "LOG_HMAC_KEY",
  ],
  "conclave-web.service": [
    "DATABASE_URL",
    "REDIS_URL",
    "INVITE_CODE_PEPPER",
    "API_KEY_PEPPER",
    "REFRESH_TOKEN_PEPPER",
    "LOG_HMAC_KEY",
    "NEXTAUTH_SECRET",
    "DATA_ENCRYPTION_KEY",
  ],
} as const;
const MAX_EXPOSURE = 2.0;

function analyze(bin: string, args: string[]): { status: number; output: string } {
  const result = spawnSync(bin, args, { encoding: "utf8", cwd: tmpdir() });
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

function exposureOf(output: string): number {
  const match = /Overall exposure level for \S+: (\d+\.\d+)/u.exec(output);
  if (match?.[1] === undefined) throw new Error(`no exposure level in:\n${output}`);
  return Number(match[1]);
}

describe("deploy/systemd", () => {
  let bin: string;
  let scratch: string;
  beforeAll(() => {
    bin = provisionedTool(systemdAnalyzeTool);
    scratch = mkdtempSync(path.join(tmpdir(), "conclave-units-"));
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each(Object.keys(units))("%s passes systemd-analyze verify without a warning", (unit) => {
    const { status, output } = analyze(bin, ["verify", path.join(unitsDir, unit)]);
    expect(output).toBe("");
    expect(status).toBe(0);
  });

  it.each(Object.keys(units))("%s rates OK or better in systemd-analyze security", (unit) => {
    const { status, output } = analyze(bin, [
      "security",
      "--offline=true",
      `--threshold=${MAX_EXPOSURE * 10}`,
      path.join(unitsDir, unit),
    ]);
    const exposure = exposureOf(output);
    console.log(`${unit}: exposure ${exposure}`);
    expect(exposure).toBeLessThanOrEqual(MAX_EXPOSURE);
    expect(output).toMatch(/(OK|SAFE) \S*$/mu);
    expect(status).toBe(0);
  });

  it("fails the security threshold once the sandboxing is removed (the check can fail)", () => {
    const unit = readFileSync(path.join(unitsDir, "conclave-ws-server.service"), "utf8");
    const unsandboxed = unit.slice(0, unit.indexOf("# Sandboxing.")) + "\n[Install]\n";
    const file = path.join(scratch, "conclave-unsandboxed.service");
    writeFileSync(file, unsandboxed);
    const { status, output } = analyze(bin, [
      "security",
      "--offline=true",
      `--threshold=${MAX_EXPOSURE * 10}`,
      file,
    ]);
    expect(exposureOf(output)).toBeGreaterThan(MAX_EXPOSURE);
    expect(status).not.toBe(0);
  });

  it.each(Object.entries(units))(
    "%s runs as conclave with umask 0077 and loads exactly the secrets its app reads",
    (unit, secrets) => {
      const text = readFileSync(path.join(unitsDir, unit), "utf8");
      expect(text).toMatch(/^User=conclave$/mu);
      expect(text).toMatch(/^UMask=0077$/mu);
      expect(text).toMatch(/^Environment=NODE_ENV=production$/mu);
      expect(text).toMatch(/^ExecStart=\/usr\/bin\/node \S+\.mjs$/mu);
      const loaded = [...text.matchAll(/^LoadCredential(?:Encrypted)?=([A-Z_]+):/gmu)].map(
        (match) => match[1],
      );
      expect(loaded.sort()).toEqual([...secrets].sort());
    },
  );
});
