import { spawn, type ChildProcess } from "node:child_process";

export interface SupervisedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number>;
}

/** Starts a child whose output is prefixed so the two apps' logs stay legible. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): SupervisedProcess {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[${name}] `;
  const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    const lines = chunk.toString().split("\n");
    if (lines.at(-1) === "") lines.pop();
    stream.write(lines.map((line) => prefix + line + "\n").join(""));
  };
  child.stdout.on("data", forward(process.stdout));
  child.stderr.on("data", forward(process.stderr));
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => {
      resolve(code ?? (signal ? 1 : 0));
    });
  });
  return { name, child, exited };
}

/** Asks each child to stop, then insists after a grace period. */
export async function stopProcesses(
  processes: SupervisedProcess[],
  graceMs = 10_000,
): Promise<void> {
  await Promise.all(
    processes.map(async ({ child, exited }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}
