import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";

const abuseSrc = path.resolve(import.meta.dirname, "../src/abuse");

// A separate Node process per "ws-server": its own ioredis client, its own limiter and
// ephemeral cache. The library reads Date.now, so both processes pin it to the same
// instant inside one window. Each waits for "go" so their requests overlap.
const child = `
const fixed = Number(process.env.PINNED_NOW);
Date.now = () => fixed;
const { Redis } = await import("ioredis");
const { createAbuseConfig } = await import(process.env.ABUSE_SRC + "/abuse-config.ts");
const { createRateLimiter } = await import(process.env.ABUSE_SRC + "/create-rate-limiter.ts");
const { createConnectionLimiter } = await import(process.env.ABUSE_SRC + "/create-connection-limiter.ts");
const { createIoRedisRatelimitAdapter } = await import(process.env.ABUSE_SRC + "/ioredis-ratelimit-adapter.ts");
const { createRedisAbuseStore } = await import(process.env.ABUSE_SRC + "/redis-abuse-store.ts");
const { createResilientStore } = await import(process.env.ABUSE_SRC + "/resilient-store.ts");
const redis = new Redis(process.env.REDIS_URL);
const clock = { now: () => new Date(fixed) };
const events = { record: () => undefined, flush: () => Promise.resolve() };
const config = createAbuseConfig({ keyPrefix: process.env.KEY_PREFIX, backendTimeoutMs: 10000 });
const limiter = createRateLimiter({ config, backend: { kind: "redis", redis: createIoRedisRatelimitAdapter(redis) }, events, clock });
const store = createRedisAbuseStore(redis);
const connections = createConnectionLimiter({
  caps: config.connections, events, clock, keyPrefix: config.keyPrefix,
  store: createResilientStore({ primary: store, fallback: store, clock, timeoutMs: 10000, retryAfterMs: 1, onUnavailable: () => undefined }),
});
await redis.ping();
console.log("ready");
await new Promise((resolve) => process.stdin.once("data", resolve));
const meta = { ip: "203.0.113.1", userAgent: null, requestId: "child" };
const results = await Promise.all([
  ...Array.from({ length: 30 }, () => limiter.check({ name: "login", subject: ["203.0.113.1"], meta })),
  ...Array.from({ length: 150 }, () => limiter.check({ name: "guardianCall", subject: ["g-1"], meta })),
]);
const slots = await Promise.all(Array.from({ length: 3 }, () => connections.acquireForGuardian("g-1", meta)));
const allowed = (name) => results.filter((r) => r.name === name && r.allowed).length;
console.log(JSON.stringify({ login: allowed("login"), guardianCall: allowed("guardianCall"), slots: slots.filter((s) => s.admitted).length }));
await redis.quit();
`;

type Counts = { login: number; guardianCall: number; slots: number };

function startChild(env: NodeJS.ProcessEnv) {
  const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", child], {
    env,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: proc.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await iterator.next();
    if (line.done === true) throw new Error("child exited early");
    return line.value;
  };
  return { proc, next };
}

describe("limits across two real processes sharing Redis", () => {
  it("lets exactly the allowed number through and hands out exactly 3 sockets", async () => {
    const env = {
      ...process.env,
      ABUSE_SRC: abuseSrc,
      KEY_PREFIX: `test:${randomUUID()}`,
      PINNED_NOW: String(Date.parse("2026-06-01T12:00:10.000Z")),
    };
    const children = [startChild(env), startChild(env)];
    try {
      for (const c of children) expect(await c.next()).toBe("ready");
      for (const c of children) c.proc.stdin.write("go\n");
      const counts = (await Promise.all(children.map((c) => c.next()))).map(
        (line) => JSON.parse(line) as Counts,
      );
      const total = (key: keyof Counts) => counts.reduce((sum, c) => sum + c[key], 0);
      expect(total("login")).toBe(10);
      expect(total("guardianCall")).toBe(100);
      expect(total("slots")).toBe(3);
    } finally {
      for (const c of children) c.proc.kill();
    }
  });
});
