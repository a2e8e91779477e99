// Child process for tests/test-services.test.ts: provisions one tool whose installer is
// a stub script, so that two of these racing each other show how many installs happen.
// argv: <lock file> <work folder> <name>. Both racers first see the tool missing (a
// barrier in the first lookup), so only the lock and the second lookup stop a double
// install. Prints the provisioned paths as JSON.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { provisionDebianTools } from "../../scripts/test-services/debian-package";

const [lockFile, workDir, name] = process.argv.slice(2) as [string?, string?, string?];
if (!lockFile || !workDir || !name) throw new Error("usage: <lock file> <work folder> <name>");
const racer = { workDir, name };
const installed = path.join(workDir, "installed-tool");
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let lookups = 0;

function bothRacersReady(): void {
  writeFileSync(path.join(racer.workDir, `ready-${racer.name}`), "");
  const others = ["a", "b"].map((each) => path.join(racer.workDir, `ready-${each}`));
  while (!others.every((file) => existsSync(file))) Atomics.wait(sleeper, 0, 0, 20);
}

const paths = await provisionDebianTools(
  [
    {
      pkg: "stub-package",
      envVar: "STUB_TOOL",
      find: () => {
        if (lookups++ === 0) bothRacersReady();
        return existsSync(installed) ? installed : undefined;
      },
    },
  ],
  {
    lockFile,
    installer: (packages) => {
      const result = spawnSync(path.join(workDir, "stub-installer.sh"), packages);
      if (result.status !== 0) throw new Error(`stub installer failed: ${String(result.stderr)}`);
      return Promise.resolve();
    },
  },
);
process.stdout.write(JSON.stringify(paths));
