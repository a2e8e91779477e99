// Runs the shipped deploy/nginx configuration with a real nginx on loopback. Only what
// must differ on a test machine is substituted: ports, certificate paths, the ACME
// webroot and the host names (both become `localhost`, on a port each).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { connect } from "node:net";

const root = path.resolve(import.meta.dirname, "../..");
export const NGINX_DEPLOY_DIR = path.join(root, "deploy/nginx");

export interface NginxTestSetup {
  /** Where the rendered configuration, logs and temp files go. */
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The CA nginx checks the apps' certificates against. */
  readonly caFile: string;
  readonly webroot: string;
  readonly ports: { readonly http: number; readonly console: number; readonly signing: number };
  readonly upstreams: { readonly console: number; readonly signing: number };
}

/** Each top-level `server { ... }` block of `text`, with its start and end offsets. */
function serverBlocks(text: string): { start: number; end: number; body: string }[] {
  const blocks: { start: number; end: number; body: string }[] = [];
  const opener = /^server \{$/gmu;
  for (let match = opener.exec(text); match !== null; match = opener.exec(text)) {
    let depth = 0;
    let end = match.index;
    for (let i = match.index; i < text.length; i++) {
      if (text[i] === "{") depth++;
      if (text[i] === "}" && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    blocks.push({ start: match.index, end, body: text.slice(match.index, end) });
  }
  return blocks;
}

function withPorts(block: string, ports: readonly number[]): string {
  return block.replace(/^ {4}listen (\S+)(.*);\n/gmu, (_line, address: string, options: string) =>
    ports
      .map(
        (port) =>
          `    listen ${address.startsWith("[") ? "[::1]" : "127.0.0.1"}:${port}${options};\n`,
      )
      .join(""),
  );
}

export function renderConclaveConf(text: string, setup: NginxTestSetup): string {
  const { ports, upstreams } = setup;
  let rendered = "";
  let last = 0;
  for (const block of serverBlocks(text)) {
    const listenPorts = block.body.includes("ssl_reject_handshake on")
      ? [ports.console, ports.signing]
      : block.body.includes("server_name console.example.com signing.example.com;")
        ? [ports.http]
        : block.body.includes("server_name console.example.com;")
          ? [ports.console]
          : [ports.signing];
    rendered += text.slice(last, block.start) + withPorts(block.body, listenPorts);
    last = block.end;
  }
  rendered += text.slice(last);
  return rendered
    .replace("server_name console.example.com signing.example.com;", "server_name localhost;")
    .replaceAll(/\/etc\/letsencrypt\/live\/[^/]+\/fullchain\.pem/gu, setup.certFile)
    .replaceAll(/\/etc\/letsencrypt\/live\/[^/]+\/privkey\.pem/gu, setup.keyFile)
    .replaceAll(/(console|signing)\.example\.com/gu, "localhost")
    .replaceAll("/var/www/letsencrypt", setup.webroot)
    .replace("server 127.0.0.1:3443;", `server 127.0.0.1:${upstreams.console};`)
    .replace("server 127.0.0.1:8443;", `server 127.0.0.1:${upstreams.signing};`);
}

/** Writes nginx.conf (a minimal main file standing in for Debian's) and the shipped files. */
export function renderNginxConfig(setup: NginxTestSetup, conclaveConf?: string): string {
  const { dir } = setup;
  mkdirSync(path.join(dir, "tmp"), { recursive: true });
  mkdirSync(setup.webroot, { recursive: true });
  cpSync(path.join(NGINX_DEPLOY_DIR, "snippets"), path.join(dir, "snippets"), { recursive: true });
  const proxySnippet = path.join(dir, "snippets/conclave-proxy.conf");
  writeFileSync(
    proxySnippet,
    readFileSync(proxySnippet, "utf8").replace("/etc/ssl/certs/ca-certificates.crt", setup.caFile),
  );
  writeFileSync(
    path.join(dir, "conclave.conf"),
    renderConclaveConf(
      conclaveConf ?? readFileSync(path.join(NGINX_DEPLOY_DIR, "conclave.conf"), "utf8"),
      setup,
    ),
  );
  const tmp = path.join(dir, "tmp");
  const main = [
    process.getuid?.() === 0 ? "user root root;" : "",
    "worker_processes 1;",
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    "events { worker_connections 512; }",
    "http {",
    `  access_log ${dir}/access.log;`,
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map(
      (kind) => `  ${kind}_temp_path ${tmp}/${kind};`,
    ),
    "  include conclave.conf;",
    "}",
    "",
  ].join("\n");
  const mainFile = path.join(dir, "nginx.conf");
  writeFileSync(mainFile, main);
  return mainFile;
}

/** `nginx -t` on the rendered configuration: its exit status and everything it printed. */
export function nginxConfigTest(
  bin: string,
  setup: NginxTestSetup,
): { status: number; output: string } {
  const result = spawnSync(bin, ["-t", "-p", setup.dir, "-c", path.join(setup.dir, "nginx.conf")], {
    encoding: "utf8",
  });
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

export interface RunningNginx {
  stop(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => {
      resolve(false);
    });
  });
}

export async function startNginx(bin: string, setup: NginxTestSetup): Promise<RunningNginx> {
  const child: ChildProcess = spawn(
    bin,
    ["-p", setup.dir, "-c", path.join(setup.dir, "nginx.conf"), "-g", "daemon off;"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      resolve();
    }),
  );
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await accepts(setup.ports.signing)) {
      return {
        stop: async () => {
          child.kill("SIGQUIT");
          await exited;
        },
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`nginx did not start: ${stderr}`);
}
