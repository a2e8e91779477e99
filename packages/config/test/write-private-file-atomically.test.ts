import { mkdtemp, mkdir, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writePrivateFileAtomically } from "../src/write-private-file-atomically";

describe("writePrivateFileAtomically", () => {
  let dir: string;
  let umask: number;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "conclave-atomic-"));
    // A permissive umask must not widen the file: the mode is set at creation.
    umask = process.umask(0);
  });
  afterEach(async () => {
    process.umask(umask);
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the file with mode 0600 and leaves nothing else in the folder", async () => {
    const file = path.join(dir, "secret");
    await writePrivateFileAtomically(file, "first");
    expect(await readFile(file, "utf8")).toBe("first");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["secret"]);
  });

  it("replaces an existing file by rename: a reader that had it open keeps the whole old content", async () => {
    const file = path.join(dir, "keyring.json");
    await writeFile(file, "old content", { mode: 0o644 });
    const before = await stat(file);
    const reader = await open(file, "r");
    try {
      await writePrivateFileAtomically(file, Buffer.from("new content, longer than the old"));
      // Written in place (truncate, then write), the open file would show the new bytes.
      expect(await reader.readFile("utf8")).toBe("old content");
    } finally {
      await reader.close();
    }
    const after = await stat(file);
    expect(after.ino).not.toBe(before.ino);
    expect(after.mode & 0o777).toBe(0o600);
    expect(await readFile(file, "utf8")).toBe("new content, longer than the old");
    expect(await readdir(dir)).toEqual(["keyring.json"]);
  });

  it("never lets a concurrent reader see a partial file", async () => {
    const file = path.join(dir, "state.json");
    const old = "o".repeat(1024 * 1024);
    const next = "n".repeat(4 * 1024 * 1024);
    await writePrivateFileAtomically(file, old);
    const writing = { done: false };
    const write = writePrivateFileAtomically(file, next).finally(() => {
      writing.done = true;
    });
    const seen = new Set<string>();
    while (!writing.done) {
      const content = await readFile(file, "utf8");
      seen.add(content === old ? "old" : content === next ? "new" : `partial:${content.length}`);
    }
    await write;
    expect([...seen].filter((kind) => kind.startsWith("partial"))).toEqual([]);
    expect(await readFile(file, "utf8")).toBe(next);
  });

  it("leaves the target and the folder untouched when the rename fails", async () => {
    // A non-empty folder under the target's name: the rename over it is refused.
    const target = path.join(dir, "occupied");
    await mkdir(target);
    await writeFile(path.join(target, "inside"), "kept");
    await expect(writePrivateFileAtomically(target, "secret")).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["occupied"]);
    expect(await readFile(path.join(target, "inside"), "utf8")).toBe("kept");
  });
});
