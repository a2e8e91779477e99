import { rmSync } from "node:fs";
import {
  embeddedEnv,
  startConclave,
  stopConclave,
  waitForOutput,
  type StartedConclave,
} from "../embedded-conclave-process";

export type ReadyConclave = { home: string; env: NodeJS.ProcessEnv; conclave: StartedConclave };

/** Stops `npm start` (Ctrl-C, then kill) and removes its home; either may be missing. */
export async function stopAndRemoveConclave(
  conclave: StartedConclave | undefined,
  home: string | undefined,
): Promise<void> {
  if (home === undefined) return;
  await stopConclave(conclave, home);
  rmSync(home, { recursive: true, force: true });
}

/**
 * `npm start` in a fresh embedded home, once it says it is ready (a first start builds for
 * minutes). One that never gets ready is stopped and its home removed before the error.
 */
export async function startReadyConclave(): Promise<ReadyConclave> {
  const { home, env } = await embeddedEnv();
  const conclave = startConclave(env);
  try {
    await waitForOutput(conclave, /ready in [\d.]+s/, 600_000);
  } catch (error) {
    await stopAndRemoveConclave(conclave, home);
    throw error;
  }
  return { home, env, conclave };
}
