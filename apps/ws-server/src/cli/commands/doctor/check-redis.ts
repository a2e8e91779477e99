import { fail, pass, warn, type CheckResult } from "./doctor-check";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Plain Redis is tolerable on loopback only; anywhere else its traffic must be TLS. */
export function checkRedisTls(url: string | undefined): CheckResult {
  const item = "TLS to Redis";
  if (url === undefined) return fail(item, "REDIS_URL is not set (production requires Redis)");
  const parsed = new URL(url);
  if (parsed.protocol === "rediss:") return pass(item, `rediss:// to ${parsed.hostname}`);
  if (LOOPBACK.has(parsed.hostname)) {
    return warn(
      item,
      `plain redis:// on loopback (${parsed.hostname}); use rediss:// if Redis ever moves off this host`,
    );
  }
  return fail(item, `plain redis:// to ${parsed.hostname}: use rediss://`);
}
