import type { Env } from "@conclave/config/config-fragment";
import { fail, pass, type CheckResult } from "./doctor-check";

/** The apps refuse root in production; doctor runs as the same user to see what they see. */
export function checkNotRoot(uid: number | undefined): CheckResult {
  const item = "runs as a non-root user";
  if (uid === 0) return fail(item, "running as root; run doctor as the service user (conclave)");
  return pass(item, `uid ${String(uid ?? "unknown")}`);
}

export function checkProductionMode(env: Env): CheckResult {
  const item = "NODE_ENV=production";
  if (env.NODE_ENV === "production") return pass(item, "the strict production rules apply");
  return fail(
    item,
    `NODE_ENV is ${env.NODE_ENV ?? "unset"}: development rules and secrets are accepted`,
  );
}
