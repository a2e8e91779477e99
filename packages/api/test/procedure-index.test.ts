import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { procedureDoors, procedureIndexFile } from "../scripts/procedure-doors";
import { declaredProcedures, renderProcedureIndex } from "../scripts/procedure-index";

const apiSrc = path.resolve(import.meta.dirname, "../src");

// Folders of services/ that several domains share and no procedure key names.
const sharedServiceFolders = ["coordination", "deadlines"];

// Logging out ends a session: both doors mount the one procedure from sessions/.
const declaredElsewhere: Record<string, string> = { logout: "sessions", "auth.logout": "sessions" };

const kebab = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

// The domain of a path is its first key, or its second under a door's namespace
// (`admin.vaults.create` and `vaults.list` are both in vaults/).
function domainOf(procedurePath: string): string {
  const keys = procedurePath.split(".");
  const [first, second] = keys;
  const domain = (first === "admin" || first === "console") && second ? second : first;
  return declaredElsewhere[procedurePath] ?? kebab(domain ?? "");
}

const folders = (dir: string) =>
  readdirSync(path.join(apiSrc, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

const procedures = procedureDoors.flatMap(({ file }) => declaredProcedures(file));

describe("one name per domain", () => {
  it("declares every procedure in routers/<its domain>/", () => {
    const misplaced = procedures
      .map(({ path: at, file }) => ({ at, folder: path.relative(apiSrc, path.dirname(file)) }))
      .filter(({ at, folder }) => folder !== `routers/${domainOf(at)}`);
    expect(misplaced).toEqual([]);
  });

  it("has no router folder that no procedure key names", () => {
    const domains = new Set(procedures.map(({ path: at }) => domainOf(at)));
    expect(folders("routers").filter((folder) => !domains.has(folder))).toEqual([]);
  });

  it("names every service folder after a router domain, or lists it as shared", () => {
    const routerFolders = new Set(folders("routers"));
    const stray = folders("services").filter(
      (folder) => !routerFolders.has(folder) && !sharedServiceFolders.includes(folder),
    );
    expect(stray).toEqual([]);
  });

  it("finds every procedure each door serves, behind helpers and re-exports too", () => {
    for (const { file, root } of procedureDoors) {
      const found = declaredProcedures(file).map(({ path: at }) => at);
      const served = Object.keys(root._def.procedures as Record<string, unknown>);
      expect(found.sort()).toEqual(served.sort());
    }
  });
});

describe("PROCEDURES.md", () => {
  it("is current: regenerate it with `npm run procedures:index`", () => {
    expect(readFileSync(procedureIndexFile, "utf8")).toBe(renderProcedureIndex(procedureDoors));
  });

  it("shows each procedure's permission, guards and audit actions as declared", () => {
    const index = readFileSync(procedureIndexFile, "utf8");
    const row = (procedurePath: string) =>
      index.split("\n").find((line) => line.startsWith(`| \`${procedurePath}\` |`));
    expect(row("admin.vaults.disable")).toContain(
      "| vault.destroy | vault member, fresh-credentials, denials as vaults.disable |",
    );
    expect(row("admin.vaults.disable")).toContain("`vault.disable`");
    expect(row("admin.users.create")).toContain("`user.create`");
    expect(row("admin.users.create")).not.toContain("`user.disable`");
    expect(row("signing.commit")).toContain("limit signingAttempt");
  });
});
