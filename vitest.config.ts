import { defineConfig } from "vitest/config";

// One run covers every workspace. Integration suites expect DATABASE_URL and
// REDIS_URL, which `npm test` (scripts/test.ts) provides when they are not set, and the
// system tools it installed before starting the workers (CONCLAVE_TEST_CHROMIUM, ...).
export default defineConfig({
  test: {
    include: ["{apps,packages}/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.next/**"],
    pool: "forks",
    maxWorkers: 2,
    // Real services on a shared 2-core machine: slow is not wrong (timing is never asserted).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: "test" },
  },
});
