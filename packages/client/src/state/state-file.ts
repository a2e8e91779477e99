import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
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

/** Writes the state atomically (write, fsync, rename) with mode 0600 in a 0700 folder. */
export async function saveGuardianState(stateDir: string, state: GuardianState): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700);
  const file = stateFilePath(stateDir);
  const temporary = path.join(stateDir, `.${STATE_FILE}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(guardianStateSchema.parse(state), null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
