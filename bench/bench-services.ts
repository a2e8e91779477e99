// Benchmarks run against the same real services as the tests, provisioned the
// same way when DATABASE_URL / REDIS_URL are not given.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startPostgres, type RunningService } from "../scripts/test-services/postgres";
import { startRedis } from "../scripts/test-services/redis";

export async function withBenchServices<T>(work: () => Promise<T>): Promise<T> {
  const workDir = await mkdtemp(path.join(tmpdir(), "conclave-bench-"));
  const services: RunningService[] = [];
  try {
    if (!process.env.DATABASE_URL) {
      const postgres = await startPostgres(workDir);
      services.push(postgres);
      process.env.DATABASE_URL = postgres.url;
    }
    if (!process.env.REDIS_URL) {
      const redis = await startRedis(workDir);
      services.push(redis);
      process.env.REDIS_URL = redis.url;
    }
    return await work();
  } finally {
    for (const service of services.reverse()) await service.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
