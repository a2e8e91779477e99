export interface Measurement {
  name: string;
  operations: number;
  seconds: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/**
 * Runs `operation` `total` times with `concurrency` in flight, after a warm-up,
 * and reports throughput and latency percentiles.
 */
export async function measure(
  name: string,
  operation: () => Promise<unknown>,
  {
    total,
    concurrency,
    warmup = Math.min(50, total),
  }: { total: number; concurrency: number; warmup?: number },
): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await operation();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t0 = performance.now();
        await operation();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    operations: total,
    seconds,
    opsPerSecond: total / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** Prints each measurement beside the baseline measured in the same run. */
export function report(title: string, baseline: Measurement, others: Measurement[]): void {
  const rows = [baseline, ...others].map((m) => ({
    case: m.name,
    "ops/s": m.opsPerSecond.toFixed(0),
    "p50 ms": m.p50Ms.toFixed(2),
    "p99 ms": m.p99Ms.toFixed(2),
    "throughput vs baseline": (m.opsPerSecond / baseline.opsPerSecond).toFixed(2) + "x",
    "p99 vs baseline": (m.p99Ms / baseline.p99Ms).toFixed(2) + "x",
  }));
  console.log(`\n${title}`);
  console.table(rows);
}
