export interface RetentionPolicy {
  readonly daily: number;
  readonly weekly: number;
  readonly monthly: number;
}

export const defaultRetentionPolicy: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

export interface DatedBackup {
  readonly name: string;
  readonly createdAt: Date;
}

function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** ISO 8601 week (UTC): weeks start on Monday; week 1 holds the year's first Thursday. */
function weekOf(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/**
 * Which backups to keep: the newest backup of each of the last `daily` days, `weekly`
 * ISO weeks and `monthly` months that have a backup (UTC), plus the newest backup of
 * all. Periods without a backup do not use up the count, so a gap in the schedule never
 * deletes the last backups before it. Pure: the caller deletes the rest.
 */
export function selectBackupsToKeep(
  backups: readonly DatedBackup[],
  policy: RetentionPolicy = defaultRetentionPolicy,
): { keep: DatedBackup[]; remove: DatedBackup[] } {
  const newestFirst = [...backups].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.name < b.name ? 1 : -1),
  );
  const kept = new Set<DatedBackup>(newestFirst.slice(0, 1));
  const rules: [number, (at: Date) => string][] = [
    [policy.daily, dayOf],
    [policy.weekly, weekOf],
    [policy.monthly, monthOf],
  ];
  for (const [limit, periodOf] of rules) {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      if (seen.size >= limit) break;
      const period = periodOf(backup.createdAt);
      if (seen.has(period)) continue;
      seen.add(period);
      kept.add(backup);
    }
  }
  return {
    keep: newestFirst.filter((backup) => kept.has(backup)),
    remove: newestFirst.filter((backup) => !kept.has(backup)),
  };
}
