// deploy/logrotate checked by the real logrotate: `logrotate -d` accepts the file, and
// forced rotations of a log that an append-mode writer keeps open (as systemd's
// StandardOutput=append: does) lose no line, keep 90 rotations and drop the 91st,
// compress all but the newest and leave every file root:adm 0640.
import { spawnSync } from "node:child_process";
import {
  chownSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logrotateTool } from "../scripts/test-services/observability-tools";
import { provisionedTool } from "../scripts/test-services/provisioned-tool";

const shipped = readFileSync(
  path.join(import.meta.dirname, "../deploy/logrotate/conclave"),
  "utf8",
);
const journald = readFileSync(
  path.join(import.meta.dirname, "../deploy/logrotate/journald.conf.d/conclave-retention.conf"),
  "utf8",
);
const admGroup = 4;

describe("deploy/logrotate", () => {
  const logrotate = provisionedTool(logrotateTool);
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-logrotate-"));
  const logDir = path.join(dir, "log");
  const live = path.join(logDir, "ws-server.log");
  const config = path.join(dir, "conclave");
  const state = path.join(dir, "state");

  const rotate = (...flags: string[]) => {
    const result = spawnSync(logrotate, [...flags, "-s", state, config], { encoding: "utf8" });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const rotated = (n: number) => path.join(logDir, `ws-server.log.${n}${n === 1 ? "" : ".gz"}`);
  const contentOf = (n: number) => {
    const bytes = readFileSync(rotated(n));
    return (n === 1 ? bytes : gunzipSync(bytes)).toString("utf8");
  };

  beforeAll(() => {
    spawnSync("install", ["-d", "-o", "root", "-g", "adm", "-m", "0750", logDir]);
    writeFileSync(config, shipped.replaceAll("/var/log/conclave/", `${logDir}/`));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("is accepted by logrotate -d, daily with 90 compressed rotations", () => {
    expect(shipped).toMatch(/^\s+daily$/mu);
    expect(shipped).toMatch(/^\s+rotate 90$/mu);
    expect(shipped).toMatch(/^\s+compress$/mu);
    writeFileSync(live, "{}\n", { mode: 0o640 });
    const debug = rotate("-d");
    expect(debug.output).toContain(`rotating pattern: ${logDir}/*.log`);
    expect(debug.output).not.toMatch(/error/iu);
    expect(debug.status).toBe(0);
    expect(readFileSync(live, "utf8")).toBe("{}\n");
  });

  it("keeps every line of an open append-mode writer, 90 rotations, root:adm 0640", () => {
    writeFileSync(live, "", { mode: 0o640 });
    chownSync(live, 0, admGroup);
    // 90 rotations already there: after one more, the oldest (the 91st) must be gone.
    writeFileSync(rotated(1), "day -1\n");
    for (let n = 2; n <= 90; n++) writeFileSync(rotated(n), gzipSync(`day -${n}\n`));
    const fd = openSync(live, "a");
    try {
      const lines = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, i) => `{"seq":${from + i}}\n`).join("");
      writeSync(fd, lines(0, 500));
      const first = rotate("-f");
      expect(first.output).toBe("");
      expect(first.status).toBe(0);
      writeSync(fd, lines(500, 1000));
      expect(rotate("-f").status).toBe(0);
      writeSync(fd, lines(1000, 1200));

      expect(existsSync(path.join(logDir, "ws-server.log.91.gz"))).toBe(false);
      expect(contentOf(90)).toBe("day -88\n");
      expect(contentOf(3)).toBe("day -1\n");
      expect(contentOf(2)).toBe(lines(0, 500));
      expect(contentOf(1)).toBe(lines(500, 1000));
      // The writer went on at the start of the truncated file: no hole, no line lost.
      expect(readFileSync(live, "utf8")).toBe(lines(1000, 1200));
    } finally {
      closeSync(fd);
    }
    for (const file of [live, rotated(1), rotated(2)]) {
      const stats = statSync(file);
      expect({ uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o777 }, file).toEqual({
        uid: 0,
        gid: admGroup,
        mode: 0o640,
      });
    }
  });

  it("ships a journald drop-in that keeps 90 days", () => {
    expect(journald).toMatch(/^\[Journal\]$/mu);
    expect(journald).toMatch(/^MaxRetentionSec=90day$/mu);
  });
});
