import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Gauge, type Registry } from "prom-client";
import { databasePoolStats, type PrismaClient } from "@conclave/db/create-prisma-client";
import type { Logger } from "@conclave/logger/create-logger";
import type { Clock } from "../clock/clock";

export type ScrapeSources = {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  /** Whether the shared Redis answers; undefined in embedded mode (no Redis, no gauge). */
  redisReady: (() => boolean) | undefined;
  /** The certificate the HTTPS listeners serve, re-read at each scrape (it is reloaded). */
  tlsCertFile: string | undefined;
  /** A scrape must answer while PostgreSQL hangs: its queries give up after this. */
  databaseTimeoutMs?: number;
};

type DatabaseSnapshot = {
  auditHeadSeq: number;
  activeBans: number;
  /** finishedAt of the newest successful database backup, in seconds; null: none yet. */
  lastBackupAt: number | null;
} | null;

/**
 * Gauges read when Prometheus scrapes: the database (reachable, audit chain head,
 * active bans, pool), Redis and the certificate. The database is asked once per scrape
 * (the three gauges share one snapshot), with a timeout, so a dead PostgreSQL reads as
 * `conclave_database_up 0` instead of a scrape that never answers.
 */
export function registerScrapeGauges(registry: Registry, sources: ScrapeSources): void {
  const registers = [registry];
  const timeoutMs = sources.databaseTimeoutMs ?? 2_000;
  let pending: { at: number; snapshot: Promise<DatabaseSnapshot> } | undefined;
  const snapshot = (): Promise<DatabaseSnapshot> => {
    const now = Date.now();
    if (pending === undefined || now - pending.at > 1_000) {
      pending = { at: now, snapshot: readDatabase(sources, timeoutMs) };
    }
    return pending.snapshot;
  };

  new Gauge({
    name: "conclave_database_up",
    help: "1 when PostgreSQL answered this scrape's queries within the timeout, else 0.",
    registers,
    async collect() {
      this.set((await snapshot()) === null ? 0 : 1);
    },
  });
  new Gauge({
    name: "conclave_audit_chain_head_seq",
    help: "Sequence number of the newest audit row (the chain's head).",
    registers,
    async collect() {
      const read = await snapshot();
      if (read !== null) this.set(read.auditHeadSeq);
    },
  });
  new Gauge({
    name: "conclave_bans_active",
    help: "IP bans in force now (not lifted, not expired), across every instance.",
    registers,
    async collect() {
      const read = await snapshot();
      if (read !== null) this.set(read.activeBans);
    },
  });
  new Gauge({
    name: "conclave_backup_last_success_timestamp_seconds",
    help: "When the newest successful database backup finished; 0 before the first, so a deployment that never backed up alerts too.",
    registers,
    async collect() {
      const read = await snapshot();
      if (read !== null) this.set(read.lastBackupAt ?? 0);
    },
  });
  new Gauge({
    name: "conclave_db_pool_connections",
    help: "Connections of this process's PostgreSQL pool by state (in_use, idle).",
    labelNames: ["state"] as const,
    registers,
    collect() {
      const stats = databasePoolStats(sources.prisma);
      if (stats === undefined) return;
      this.set({ state: "in_use" }, stats.total - stats.idle);
      this.set({ state: "idle" }, stats.idle);
    },
  });
  new Gauge({
    name: "conclave_db_pool_waiting",
    help: "Queries waiting for a free connection of this process's PostgreSQL pool.",
    registers,
    collect() {
      const stats = databasePoolStats(sources.prisma);
      if (stats !== undefined) this.set(stats.waiting);
    },
  });
  const { redisReady } = sources;
  if (redisReady !== undefined) {
    new Gauge({
      name: "conclave_redis_up",
      help: "1 when this process's Redis connection is ready, else 0.",
      registers,
      collect() {
        this.set(redisReady() ? 1 : 0);
      },
    });
  }
  const { tlsCertFile } = sources;
  if (tlsCertFile !== undefined) {
    let warned = false;
    new Gauge({
      name: "conclave_tls_certificate_expiry_seconds",
      help: "Seconds until the served TLS certificate expires (negative once expired).",
      registers,
      async collect() {
        try {
          const certificate = new X509Certificate(await readFile(tlsCertFile));
          const expiresAt = Date.parse(certificate.validTo);
          this.set((expiresAt - sources.clock.now().getTime()) / 1000);
          warned = false;
        } catch (error) {
          if (!warned) sources.logger.warn({ err: error }, "metrics: TLS certificate unreadable");
          warned = true;
        }
      },
    });
  }
}

async function readDatabase(sources: ScrapeSources, timeoutMs: number): Promise<DatabaseSnapshot> {
  const { prisma, clock } = sources;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      resolve(null);
    }, timeoutMs);
  });
  const read = Promise.all([
    prisma.auditEvent.aggregate({ _max: { seq: true } }),
    prisma.ban.count({ where: { liftedAt: null, expiresAt: { gt: clock.now() } } }),
    prisma.backupRun.findFirst({
      where: { kind: "DATABASE", status: "SUCCEEDED" },
      orderBy: { finishedAt: "desc" },
      select: { finishedAt: true },
    }),
  ]).then(
    ([head, activeBans, backup]) => ({
      auditHeadSeq: Number(head._max.seq ?? 0n),
      activeBans,
      lastBackupAt: backup?.finishedAt ? backup.finishedAt.getTime() / 1000 : null,
    }),
    () => null,
  );
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
