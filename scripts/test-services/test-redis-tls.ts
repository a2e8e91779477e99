import type { RedisTarget } from "../../packages/api/src/events/create-redis-client";

/**
 * The TLS port of `npm test`'s Redis (rediss://, password, the run's CA): what the suites
 * that cross processes connect through, as production must off loopback.
 */
export function testRedisTls(): Required<RedisTarget> {
  const url = process.env.CONCLAVE_TEST_REDIS_TLS_URL;
  const caFile = process.env.CONCLAVE_TEST_REDIS_CA_FILE;
  if (!url || !caFile) {
    throw new Error("CONCLAVE_TEST_REDIS_TLS_URL and _CA_FILE are required (run `npm test`)");
  }
  return { url, caFile };
}
