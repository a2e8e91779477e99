import { createInterface } from "node:readline";

// Questions go to stderr so stdout stays machine-readable.

/** Reads one line from stdin after printing `question`. */
export function askLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    rl.once("line", (line) => {
      // Resolved before close, whose listener would otherwise reject first.
      resolve(line);
      rl.close();
    });
    rl.once("close", () => {
      reject(new Error("no answer on stdin"));
    });
  });
}

/** Like askLine, without echoing what is typed on a terminal. */
export function askHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) return askLine(question);
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  let prompted = false;
  output._writeToOutput = (text) => {
    // The question itself is shown once; everything typed after it is not.
    if (!prompted) process.stderr.write(text);
    prompted = true;
  };
  return new Promise((resolve, reject) => {
    rl.question(question, (answer) => {
      process.stderr.write("\n");
      rl.close();
      resolve(answer);
    });
    rl.once("SIGINT", () => {
      rl.close();
      reject(new Error("cancelled"));
    });
  });
}

/** The key share passphrase: CONCLAVE_GUARDIAN_PASSPHRASE for automation, else asked. */
export async function readPassphrase(confirm: boolean): Promise<string> {
  const fromEnv = process.env.CONCLAVE_GUARDIAN_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const first = await askHidden("key share passphrase: ");
  if (confirm && (await askHidden("repeat the passphrase: ")) !== first)
    throw new Error("the passphrases differ");
  return first;
}
