// `npm run tls-scan -- [--ca FILE] [host:port ...]`: Debian's testssl.sh against each TLS
// endpoint (default: the two doors of `npm start` and nothing else), printing a summary
// per target and failing on any finding of severity MEDIUM or higher. It takes minutes
// per target, so it is run by hand (before a release, after changing TLS settings), not
// in CI. Point it at nginx and at each app; --ca names a private CA to trust.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { provisionDebianTool } from "./test-services/debian-package";
import { testsslTool } from "./test-services/deploy-tools";

interface Finding {
  readonly id: string;
  readonly severity: string;
  readonly finding: string;
}

const FAILING = new Set(["MEDIUM", "HIGH", "CRITICAL"]);

function parseArgs(args: readonly string[]): { ca: string | undefined; targets: string[] } {
  const targets: string[] = [];
  let ca: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--ca") ca = args[++i];
    else if (args[i] !== undefined) targets.push(args[i] ?? "");
  }
  return { ca, targets: targets.length > 0 ? targets : ["localhost:8443", "localhost:3443"] };
}

function scan(testssl: string, target: string, ca: string | undefined, dir: string): Finding[] {
  const jsonFile = path.join(dir, `${target.replace(/[^a-z0-9]/giu, "_")}.json`);
  const result = spawnSync(
    testssl,
    [
      "--quiet",
      "--color",
      "0",
      "--warnings",
      "off",
      "--fast",
      "--jsonfile",
      jsonFile,
      ...(ca === undefined ? [] : ["--add-ca", ca]),
      target,
    ],
    { encoding: "utf8", stdio: ["ignore", "ignore", "inherit"], timeout: 1_800_000 },
  );
  if (result.error) throw result.error;
  return JSON.parse(readFileSync(jsonFile, "utf8")) as Finding[];
}

const { ca, targets } = parseArgs(process.argv.slice(2));
const testssl = await provisionDebianTool(testsslTool);
const dir = mkdtempSync(path.join(tmpdir(), "conclave-tls-scan-"));
let failed = 0;
try {
  for (const target of targets) {
    const findings = scan(testssl, target, ca, dir);
    const counts = new Map<string, number>();
    for (const { severity } of findings) counts.set(severity, (counts.get(severity) ?? 0) + 1);
    const bad = findings.filter(({ severity }) => FAILING.has(severity));
    const summary = [...counts]
      .map(([severity, count]) => `${severity} ${String(count)}`)
      .join(", ");
    console.log(`${target}: ${bad.length === 0 ? "PASS" : "FAIL"} (${summary})`);
    for (const { id, severity, finding } of bad) console.log(`  ${severity} ${id}: ${finding}`);
    if (bad.length > 0) failed++;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed > 0 ? 1 : 0;
