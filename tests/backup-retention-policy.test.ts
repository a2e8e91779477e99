// The retention policy (7 daily, 4 weekly, 12 monthly) as a pure function.
import { describe, expect, it } from "vitest";
import {
  type DatedBackup,
  selectBackupsToKeep,
} from "@conclave/ws-server/cli/commands/backup/retention-policy";

const day = 86_400_000;
const start = Date.UTC(2026, 0, 1, 2, 30);

function dailyBackups(days: number): DatedBackup[] {
  return Array.from({ length: days }, (_, i) => ({
    name: `b${String(i).padStart(4, "0")}`,
    createdAt: new Date(start + i * day),
  }));
}

describe("selectBackupsToKeep", () => {
  it("keeps everything while there are fewer backups than the daily count", () => {
    const backups = dailyBackups(5);
    const { keep, remove } = selectBackupsToKeep(backups);
    expect(keep).toHaveLength(5);
    expect(remove).toEqual([]);
  });

  it("after a year of daily backups keeps 7 days, 4 weeks and 12 months (some shared)", () => {
    const backups = dailyBackups(365);
    const { keep, remove } = selectBackupsToKeep(backups);
    const kept = keep.map((b) => b.createdAt.toISOString().slice(0, 10));
    // The last 7 days: 2026-12-25 .. 2026-12-31.
    for (let d = 25; d <= 31; d++) expect(kept).toContain(`2026-12-${d}`);
    // The newest of each of the last 4 ISO weeks (this one included): 31, 27, 20, 13 Dec.
    expect(kept).toContain("2026-12-20");
    expect(kept).toContain("2026-12-13");
    expect(kept).not.toContain("2026-12-06");
    // Newest of each of the last 12 months.
    for (const month of ["01", "02", "03", "06", "09", "11"]) {
      expect(kept.some((date) => date.startsWith(`2026-${month}`))).toBe(true);
    }
    expect(kept).toContain("2026-01-31");
    expect(kept).toContain("2026-11-30");
    // 7 days, 2 more weeks, 11 more month ends.
    expect(keep).toHaveLength(20);
    expect(keep.length + remove.length).toBe(365);
    expect(new Set([...keep, ...remove]).size).toBe(365);
  });

  it("keeps the newest backup of a day, not the first", () => {
    const morning = { name: "morning", createdAt: new Date(Date.UTC(2026, 5, 1, 2)) };
    const evening = { name: "evening", createdAt: new Date(Date.UTC(2026, 5, 1, 20)) };
    const { keep, remove } = selectBackupsToKeep([morning, evening], {
      daily: 1,
      weekly: 0,
      monthly: 0,
    });
    expect(keep).toEqual([evening]);
    expect(remove).toEqual([morning]);
  });

  it("does not let a gap in the schedule delete the last backups before it", () => {
    // Backups stopped for 40 days: the last 7 days that have backups are kept.
    const backups = dailyBackups(30);
    const { keep } = selectBackupsToKeep(backups, { daily: 7, weekly: 0, monthly: 0 });
    expect(keep.map((b) => b.name)).toEqual([
      "b0029",
      "b0028",
      "b0027",
      "b0026",
      "b0025",
      "b0024",
      "b0023",
    ]);
  });

  it("always keeps the newest backup, even with an all-zero policy", () => {
    const backups = dailyBackups(3);
    const { keep, remove } = selectBackupsToKeep(backups, { daily: 0, weekly: 0, monthly: 0 });
    expect(keep.map((b) => b.name)).toEqual(["b0002"]);
    expect(remove).toHaveLength(2);
  });

  it("buckets weeks by ISO week: Sunday and the next Monday are different weeks", () => {
    const sunday = { name: "sunday", createdAt: new Date(Date.UTC(2026, 0, 4, 12)) };
    const monday = { name: "monday", createdAt: new Date(Date.UTC(2026, 0, 5, 12)) };
    const saturday = { name: "saturday", createdAt: new Date(Date.UTC(2026, 0, 3, 12)) };
    const { keep } = selectBackupsToKeep([saturday, sunday, monday], {
      daily: 0,
      weekly: 2,
      monthly: 0,
    });
    expect(keep.map((b) => b.name)).toEqual(["monday", "sunday"]);
  });
});
