/**
 * Delay before the next attempt after `failures` recent failures: none for the first
 * `free`, then base, 2 base, 4 base, ... capped at `maxMs`.
 */
export function backoffDelayMs(
  failures: number,
  free: number,
  baseMs: number,
  maxMs: number,
): number {
  if (failures <= free) return 0;
  const doublings = Math.min(failures - free - 1, 52);
  return Math.min(baseMs * 2 ** doublings, maxMs);
}
