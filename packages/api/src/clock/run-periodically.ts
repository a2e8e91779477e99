export type PeriodicTask = { stop(): Promise<void> };

/**
 * Runs `task` now and every `everyMs`; a run slower than the interval is not stacked
 * on by the next one. `task` handles its own errors. `stop` waits for a run under way.
 */
export function runPeriodically(task: () => Promise<void>, everyMs: number): PeriodicTask {
  let running: Promise<void> | undefined;
  const tick = (): void => {
    running ??= task().finally(() => {
      running = undefined;
    });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
