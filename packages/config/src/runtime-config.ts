import { resolve } from "node:path";
import { z } from "zod";
import type { ConfigFragment, NodeEnv } from "./config-fragment";
import { parseEnv } from "./parse-env";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface RuntimeConfig {
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
  readonly logLevel: LogLevel;
  /** Absolute path of the local state directory (CONCLAVE_HOME, default `.conclave`). */
  readonly home: string;
}

export const runtimeConfig: ConfigFragment<RuntimeConfig> = (context) => {
  const parsed = parseEnv(context, {
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    CONCLAVE_HOME: z.string().default(".conclave"),
  });
  if (parsed === undefined) return undefined;
  return {
    nodeEnv: context.nodeEnv,
    isProduction: context.isProduction,
    logLevel: parsed.LOG_LEVEL,
    home: resolve(parsed.CONCLAVE_HOME),
  };
};
