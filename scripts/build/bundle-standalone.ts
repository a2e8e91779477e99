// A standalone tree for one app: its entry points bundled with esbuild (workspace
// packages inlined from their TypeScript sources), next to the third-party packages
// those bundles load, traced by @vercel/nft (the tracer Next's own standalone output
// uses) and copied at their paths relative to the repository root. Production runs the
// bundles with plain `node`: no tsx, no TypeScript, no dev dependencies.
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { build, type Plugin } from "esbuild";

export const repositoryRoot = path.resolve(import.meta.dirname, "../..");

const require = createRequire(import.meta.url);
const { nodeFileTrace } = require("next/dist/compiled/@vercel/nft") as {
  nodeFileTrace: (
    files: string[],
    options: { base: string; processCwd: string },
  ) => Promise<{ fileList: Set<string> }>;
};

/** Packages that only build or test the code; finding one in a standalone tree is a bug. */
const DEV_ONLY_PACKAGES = ["tsx", "typescript", "esbuild", "vitest", "eslint", "prettier", "turbo"];

export interface StandaloneOptions {
  /** The app's folder relative to the repository root, e.g. `apps/ws-server`. */
  readonly app: string;
  /** Output file name (without `.mjs`) to source path relative to the app folder. */
  readonly entryPoints: Readonly<Record<string, string>>;
  /** The standalone tree; the bundles land in `<outRoot>/<app>/`. */
  readonly outRoot: string;
  readonly define?: Readonly<Record<string, string>>;
}

// Every bundle lives at <root>/apps/<name>/, so the tree's root is two levels up.
const banner = [
  'import { createRequire as __conclaveCreateRequire } from "node:module";',
  'import { fileURLToPath as __conclaveFileURLToPath } from "node:url";',
  "const require = __conclaveCreateRequire(import.meta.url);",
  'const __conclaveRoot = __conclaveFileURLToPath(new URL("../../", import.meta.url));',
].join("\n");

/**
 * Workspace sources are inlined; every other bare import stays external and is traced.
 * A source's `import.meta.dirname` becomes its own folder inside the standalone tree,
 * so paths it resolves from there (prisma/migrations) keep working after bundling.
 */
const workspaceSources: Plugin = {
  name: "conclave-workspace-sources",
  setup(pluginBuild) {
    // esbuild hands filters to Go's regexp package, which rejects the `u` flag.
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("@conclave/") || args.path.startsWith("node:")) return undefined;
      return { path: args.path, external: true };
    });
    pluginBuild.onLoad({ filter: /\.tsx?$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = readFileSync(args.path, "utf8");
      if (!source.includes("import.meta.dirname")) return undefined;
      const folder = path.relative(repositoryRoot, path.dirname(args.path));
      return {
        contents: source.replaceAll(
          "import.meta.dirname",
          `(__conclaveRoot + ${JSON.stringify(folder.split(path.sep).join("/"))})`,
        ),
        loader: args.path.endsWith(".tsx") ? "tsx" : "ts",
      };
    });
  },
};

export async function bundleStandalone(options: StandaloneOptions): Promise<string[]> {
  const appDir = path.join(repositoryRoot, options.app);
  // Bundled and traced beside the app's sources, so that packages resolve as they do in
  // the repository, then moved into the tree. One folder per build: the console suites
  // build into their own distDir while `npm run build` may run, and a shared folder let
  // one build move the other's bundle (with the other's embedded config) into its tree.
  const stagingDir = path.join(appDir, `dist/bundle-staging-${String(process.pid)}`);
  rmSync(stagingDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: Object.entries(options.entryPoints).map(([out, source]) => ({
      out,
      in: path.join(appDir, source),
    })),
    outdir: stagingDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    legalComments: "none",
    banner: { js: banner },
    define: { ...options.define },
    plugins: [workspaceSources],
    tsconfig: path.join(appDir, "tsconfig.json"),
    metafile: true,
    logLevel: "warning",
    absWorkingDir: repositoryRoot,
  });
  const bundles = Object.keys(result.metafile.outputs)
    .filter((file) => file.endsWith(".mjs"))
    .map((file) => path.resolve(repositoryRoot, file));
  await copyTracedDependencies(bundles, options.outRoot);
  const outDir = path.join(options.outRoot, options.app);
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(stagingDir)) {
    renameSync(path.join(stagingDir, file), path.join(outDir, file));
  }
  rmSync(stagingDir, { recursive: true });
  return bundles.map((bundle) => path.join(outDir, path.basename(bundle)));
}

/** Copies every file the bundles load from node_modules into the tree, at the same path. */
async function copyTracedDependencies(bundles: string[], outRoot: string): Promise<void> {
  const { fileList } = await nodeFileTrace(bundles, {
    base: repositoryRoot,
    processCwd: repositoryRoot,
  });
  for (const file of fileList) {
    if (!file.split("/").includes("node_modules")) continue;
    const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/u.exec(file)?.[1];
    if (packageName !== undefined && DEV_ONLY_PACKAGES.includes(packageName)) {
      throw new Error(`${file}: a dev-only package would ship in the production build`);
    }
    const source = path.join(repositoryRoot, file);
    if (!statSync(source).isFile()) continue;
    const target = path.join(outRoot, file);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(source, target);
  }
}

/** Copies a file or folder of the repository into the tree at the same relative path. */
export function copyIntoStandalone(relativePath: string, outRoot: string): void {
  cpSync(path.join(repositoryRoot, relativePath), path.join(outRoot, relativePath), {
    recursive: true,
  });
}
