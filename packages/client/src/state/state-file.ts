import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { writePrivateFileAtomically } from "@conclave/config/write-private-file-atomically";
import { guardianStateSchema, type GuardianState } from "./guardian-state";

const STATE_FILE = "guardian.json";
const GROUP_OR_OTHER = 0o077;

export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

async function requirePrivate(target: string, kind: "folder" | "file"): Promise<void> {
  const stats = await stat(target);
  if ((stats.mode & GROUP_OR_OTHER) !== 0) {
    const mode = (stats.mode & 0o777).toString(8);
    throw new StateFileError(
      `${target} is accessible by group or others (mode ${mode}); the ${kind} holds the identity key and tokens: chmod ${kind === "folder" ? "700" : "600"} it`,
    );
  }
}

/** The state file inside `stateDir` (a 0700 folder). */
export function stateFilePath(stateDir: string): string {
  return path.join(stateDir, STATE_FILE);
}

/** Reads the state, or undefined before join. Refuses files others could read. */
export async function loadGuardianState(stateDir: string): Promise<GuardianState | undefined> {
  const file = stateFilePath(stateDir);
  let text: string;
  try {
    await requirePrivate(stateDir, "folder");
    await requirePrivate(file, "file");
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new StateFileError(`${file} is not valid JSON`);
  }
  const parsed = guardianStateSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".")))];
    throw new StateFileError(`${file} has invalid fields: ${fields.join(", ")}`);
  }
  return parsed.data;
}

/** Writes the state atomically with mode 0600 in a 0700 folder. */
export async function saveGuardianState(stateDir: string, state: GuardianState): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700);
  await writePrivateFileAtomically(
    stateFilePath(stateDir),
    `${JSON.stringify(guardianStateSchema.parse(state), null, 2)}\n`,
  );
}
