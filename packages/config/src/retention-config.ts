import { z } from "zod";
import type { ConfigFragment } from "./config-fragment";
import { parseEnv } from "./parse-env";

export interface RetentionConfig {
  /** Security events, and sessions after they end, are purged after this (RETENTION_DAYS). */
  readonly retentionMs: number;
}

const day = 24 * 60 * 60_000;

/** RETENTION_DAYS: 90 by default; at least 7, so a typo cannot wipe last week's evidence. */
export const retentionConfig: ConfigFragment<RetentionConfig> = (context) => {
  const parsed = parseEnv(context, {
    RETENTION_DAYS: z.coerce
      .number({ error: "must be a number of days" })
      .int("must be a whole number of days")
      .min(7, "must be at least 7 days")
      .max(3650, "must be at most 3650 days")
      .default(90),
  });
  return parsed === undefined ? undefined : { retentionMs: parsed.RETENTION_DAYS * day };
};
