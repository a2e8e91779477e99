import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { createGuardianClient, type GuardianClient } from "../create-guardian-client";
import { loadGuardianState } from "../state/state-file";
import { UsageError } from "./cli-io";

const PINNED_CA_FILE = "ca.pem";

/** Keeps the CA given at join next to the state, so later commands pin the same one. */
export async function rememberCa(stateDir: string, ca: string): Promise<void> {
  await writeFile(path.join(stateDir, PINNED_CA_FILE), ca, { mode: 0o600 });
}

async function rememberedCa(stateDir: string): Promise<string | undefined> {
  try {
    return await readFile(path.join(stateDir, PINNED_CA_FILE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** A client for an already joined state folder: its server and its pinned CA. */
export async function openJoinedClient(stateDir: string): Promise<GuardianClient> {
  const state = await loadGuardianState(stateDir);
  if (state === undefined) throw new UsageError(`no guardian in ${stateDir}; run join first`);
  const ca = await rememberedCa(stateDir);
  return createGuardianClient({
    serverUrl: state.serverOrigin,
    stateDir,
    ...(ca === undefined ? {} : { ca }),
  });
}
