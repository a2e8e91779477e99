import { afterEach, describe, expect, it, vi } from "vitest";
import { runPeriodically } from "../src/clock/run-periodically";

describe("runPeriodically", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs at once and on every interval, never two runs at a time, and stop waits", async () => {
    vi.useFakeTimers();
    let started = 0;
    let finish: (() => void) | undefined;
    const task = () => {
      started++;
      return new Promise<void>((resolve) => {
        finish = resolve;
      });
    };
    const periodic = runPeriodically(task, 1_000);
    expect(started).toBe(1);
    // The first run is still going: the next ticks do not start another.
    await vi.advanceTimersByTimeAsync(3_000);
    expect(started).toBe(1);
    finish?.();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toBe(2);
    let stopped = false;
    const stopping = periodic.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish?.();
    await stopping;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toBe(2);
  });
});
