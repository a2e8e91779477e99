import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { auditDetailsSchemas } from "@conclave/db/audit/audit-details";
import type { AnyTRPCRouter } from "@trpc/server";
import type { ProcedureMeta } from "../src/trpc";

// PROCEDURES.md: for every procedure of every front door, its permission and guards
// (from its meta, as trpc.ts enforces them), the router file that declares it, the
// audit actions the services it calls can write, and the test files that name it.
// Read from the source, so the index cannot drift: test/procedure-index.test.ts
// compares it with the committed file.

export type DoorRoot = { door: string; file: string; root: AnyTRPCRouter };

export type Procedure = { path: string; file: string; node: ts.Node; source: ts.SourceFile };

const apiSrc = path.resolve(import.meta.dirname, "../src");
const repoRoot = path.resolve(import.meta.dirname, "../../..");
const auditActions = new Set(Object.keys(auditDetailsSchemas));

const sources = new Map<string, ts.SourceFile>();
function sourceOf(file: string): ts.SourceFile {
  let source = sources.get(file);
  if (!source) {
    source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    sources.set(file, source);
  }
  return source;
}

function resolveImport(fromFile: string, specifier: string): string | null {
  const base = specifier.startsWith(".")
    ? path.resolve(path.dirname(fromFile), specifier)
    : specifier.startsWith("@conclave/api/")
      ? path.join(apiSrc, specifier.slice("@conclave/api/".length))
      : null;
  if (base === null) return null;
  const file = `${base}.ts`;
  return existsSync(file) ? file : null;
}

/** The file an identifier used in `source` comes from, and its declaration there. */
function declarationOf(
  source: ts.SourceFile,
  name: string,
): { file: string; node: ts.Node } | null {
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      const imported = bindings.elements.find((element) => element.name.text === name);
      if (!imported) continue;
      const file = resolveImport(source.fileName, statement.moduleSpecifier.text);
      if (file === null) return null;
      const exported = declarationOf(sourceOf(file), (imported.propertyName ?? imported.name).text);
      return exported ?? { file, node: sourceOf(file) };
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name)
          return { file: source.fileName, node: declaration.initializer ?? declaration };
      }
    }
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name)
      return { file: source.fileName, node: statement };
  }
  return null;
}

function routerLiteral(node: ts.Node): ts.ObjectLiteralExpression | null {
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return null;
  if (node.expression.text !== "router") return null;
  const [argument] = node.arguments;
  return argument && ts.isObjectLiteralExpression(argument) ? argument : null;
}

function collectProcedures(
  literal: ts.ObjectLiteralExpression,
  prefix: string,
  file: string,
  out: Procedure[],
): void {
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = property.name.getText();
    const at = prefix === "" ? key : `${prefix}.${key}`;
    let node: ts.Node = property.initializer;
    let nodeFile = file;
    if (ts.isIdentifier(node)) {
      const found = declarationOf(sourceOf(file), node.text);
      if (!found) throw new Error(`cannot resolve ${node.text} in ${file}`);
      node = found.node;
      nodeFile = found.file;
    }
    const nested = routerLiteral(node);
    if (nested) collectProcedures(nested, at, nodeFile, out);
    else out.push({ path: at, file: nodeFile, node, source: sourceOf(nodeFile) });
  }
}

/** Every procedure a front door's root mounts, with the file that declares it. */
export function declaredProcedures(rootFile: string): Procedure[] {
  const procedures: Procedure[] = [];
  const rootSource = sourceOf(path.join(apiSrc, rootFile));
  for (const statement of rootSource.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const literal = declaration.initializer && routerLiteral(declaration.initializer);
      if (literal) collectProcedures(literal, "", rootSource.fileName, procedures);
    }
  }
  return procedures;
}

function memberNamed(source: ts.SourceFile, name: string): ts.Node | null {
  let found: ts.Node | null = null;
  const walk = (node: ts.Node): void => {
    if (found) return;
    if (
      (ts.isMethodDeclaration(node) || ts.isFunctionDeclaration(node)) &&
      node.name?.getText(source) === name
    )
      found = node;
    else ts.forEachChild(node, walk);
  };
  walk(source);
  return found;
}

// The audit actions named in the code a procedure can run: its own builder chain, the
// same-file helpers it calls, and the service functions it imports, followed through
// every function they call in turn (the ban service is reached through deps.abuse.bans).
function reachableAuditActions(procedure: Procedure): string[] {
  const actions = new Set<string>();
  const seen = new Set<ts.Node>();
  const services = path.join(apiSrc, "services");
  const banService = path.join(apiSrc, "abuse/ban-service.ts");
  const visit = (node: ts.Node, source: ts.SourceFile): void => {
    if (seen.has(node)) return;
    seen.add(node);
    const text = node.getText(source);
    for (const match of text.matchAll(/"([a-z]+\.[a-z0-9_]+)"/g)) {
      if (match[1] !== undefined && auditActions.has(match[1])) actions.add(match[1]);
    }
    for (const match of text.matchAll(/abuse\.bans\.(\w+)/g)) {
      const member = match[1] === undefined ? null : memberNamed(sourceOf(banService), match[1]);
      if (member) visit(member, sourceOf(banService));
    }
    const walk = (child: ts.Node): void => {
      if (ts.isIdentifier(child)) {
        const found = declarationOf(source, child.text);
        if (found && (found.file === source.fileName || found.file.startsWith(services)))
          visit(found.node, sourceOf(found.file));
      }
      ts.forEachChild(child, walk);
    };
    ts.forEachChild(node, walk);
  };
  visit(procedure.node, procedure.source);
  return [...actions].sort();
}

function testFiles(): string[] {
  const roots = ["tests", "apps/web/test", "apps/ws-server/test"].concat(
    readdirSync(path.join(repoRoot, "packages")).map((name) => `packages/${name}/test`),
  );
  const out: string[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(path.join(repoRoot, dir))) return;
    for (const entry of readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith(".test.ts")) out.push(relative);
    }
  };
  roots.forEach(walk);
  return out.sort();
}

const MAX_TESTS_LISTED = 4;

// Test files naming the path (as `a.b.c` in a string or a call chain), most mentions first.
function testsNaming(procedurePath: string, tests: readonly [string, string][]): string[] {
  const escaped = procedurePath.replaceAll(".", "\\.");
  const pattern = new RegExp(`(?<![\\w.])${escaped}(?![\\w])`, "g");
  return tests
    .map(([file, text]) => [file, text.match(pattern)?.length ?? 0] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_TESTS_LISTED)
    .map(([file]) => file);
}

function describeMeta(meta: ProcedureMeta | undefined): [string, string] {
  if (!meta) return ["?", "?"];
  if (meta.access === "public") return ["public", `limit ${meta.limit}`];
  if (meta.access === "authenticated") return ["any session", "-"];
  const guards = [
    meta.vaultScoped ? "vault member" : null,
    meta.limit ? `limit ${meta.limit}` : null,
    meta.reauthentication ?? null,
    meta.recordDenials ? `denials as ${meta.recordDenials}` : null,
  ].filter((guard) => guard !== null);
  return [meta.permission, guards.length === 0 ? "-" : guards.join(", ")];
}

function metaOf(root: AnyTRPCRouter, procedurePath: string): ProcedureMeta | undefined {
  const record = root._def.procedures as Record<string, { _def: { meta?: ProcedureMeta } }>;
  return record[procedurePath]?._def.meta;
}

const relative = (file: string) => path.relative(repoRoot, file);
const code = (text: string) => `\`${text}\``;

export function renderProcedureIndex(doors: readonly DoorRoot[]): string {
  const tests = testFiles().map(
    (file) => [file, readFileSync(path.join(repoRoot, file), "utf8")] as [string, string],
  );
  const lines = [
    "# Procedures",
    "",
    "Generated by `npm run procedures:index` from the routers, their meta and the tests;",
    "`packages/api/test/procedure-index.test.ts` fails when it is out of date. Each key of a",
    "path names a domain, with the same folder under `routers/` and `services/`. Audit",
    "actions are those written by the services the procedure can reach; tests are the",
    `files naming the path, most mentions first (at most ${MAX_TESTS_LISTED}).`,
  ];
  for (const { door, file, root } of doors) {
    const procedures = declaredProcedures(file);
    lines.push(
      "",
      `## ${door} (\`packages/api/src/${file}\`)`,
      "",
      "| procedure | permission | guards | declared in | audit actions | tests |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const procedure of procedures) {
      const [permission, guards] = describeMeta(metaOf(root, procedure.path));
      const actions = reachableAuditActions(procedure);
      lines.push(
        `| ${[
          code(procedure.path),
          permission,
          guards,
          code(relative(procedure.file).replace("packages/api/src/", "")),
          actions.length === 0 ? "-" : actions.map(code).join(" "),
          testsNaming(procedure.path, tests).map(code).join("<br>") || "-",
        ].join(" | ")} |`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
