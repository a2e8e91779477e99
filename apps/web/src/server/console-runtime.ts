import {
  createProcessApiDependencies,
  processApiConfigOf,
  type ProcessApiDependencies,
} from "@conclave/api/context/create-process-api-dependencies";
import { createLogger, type Logger } from "@conclave/logger/create-logger";
import { loadWebConfig, type WebConfig } from "../config";

/** The console's API dependencies (one per process), with its configuration and logger. */
export type ConsoleRuntime = ProcessApiDependencies & {
  config: WebConfig;
  logger: Logger;
};

async function createRuntime(): Promise<ConsoleRuntime> {
  const config = loadWebConfig();
  // next-auth derives its callback URLs from this; never from the Host header.
  process.env.NEXTAUTH_URL = config.http.publicOrigin;
  const logger = createLogger({ name: "web", level: config.runtime.logLevel });
  // Revocations made here reach the ws-server processes holding the sockets over Redis,
  // or over PostgreSQL LISTEN/NOTIFY in embedded mode.
  const api = await createProcessApiDependencies(processApiConfigOf(config), { logger });
  // Once per process; more than one such line means a second runtime (tests count them).
  logger.info({ redis: config.redis.url !== undefined, bus: api.bus }, "console runtime ready");
  return { ...api, config, logger };
}

const holder = globalThis as typeof globalThis & {
  conclaveConsoleRuntime?: Promise<ConsoleRuntime>;
};

// Built by server.ts before it listens (never at `next build`) and shared through
// globalThis with the Next bundle, whose route handlers and pages carry their own
// copies of this module: the first call builds, every later one gets the same.
export function consoleRuntime(): Promise<ConsoleRuntime> {
  holder.conclaveConsoleRuntime ??= createRuntime().catch((error: unknown) => {
    holder.conclaveConsoleRuntime = undefined;
    throw error;
  });
  return holder.conclaveConsoleRuntime;
}
