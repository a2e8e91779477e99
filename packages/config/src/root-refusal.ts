import type { Env } from "./config-fragment";

/**
 * A production process holds every secret and faces the network: as root, one flaw
 * would own the host. Says why the process must not start, or returns undefined.
 * Checked before the configuration is read, so nothing is opened as root.
 */
export function describeRootRefusal(env: Env, uid: number | undefined): string | undefined {
  if (env.NODE_ENV !== "production" || uid !== 0) return undefined;
  return "refusing to run as root with NODE_ENV=production: start it as an unprivileged user (the systemd units in deploy/systemd use User=conclave)";
}
