import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";
import type { Prisma } from "./generated/prisma/client";
import { pgConnectionConfig } from "./pg-connection-config";

export type { PrismaClient };
/** The client handed to `prisma.$transaction(async (tx) => ...)` callbacks. */
export type DbTransaction = Prisma.TransactionClient;

export interface CreatePrismaClientOptions {
  /** PostgreSQL URL; the apps pass the application-role URL (DATABASE_URL). */
  url: string;
  /** PEM CA to verify the server's TLS certificate (DATABASE_CA_FILE). */
  caFile?: string;
  /** Pool size; defaults to node-postgres's 10. */
  max?: number;
  /** Overrides the transaction defaults below (tests provoke contention with these). */
  transactionOptions?: { maxWait?: number; timeout?: number };
}

// Prisma's defaults (2 s to start, 5 s to finish) turn ordinary queuing behind the
// audit-chain and event-log locks into internal errors once many ceremonies run at
// once; the 30 s request timeout is the real bound on a caller's wait.
const transactionDefaults = { maxWait: 10_000, timeout: 25_000 } as const;

/** Connections of a client's pool, for the pool gauges of the metrics. */
export type DatabasePoolStats = { total: number; idle: number; waiting: number };

const pools = new WeakMap<PrismaClient, pg.Pool>();

/** The pool behind `prisma`; undefined for a client not made by createPrismaClient. */
export function databasePoolStats(prisma: PrismaClient): DatabasePoolStats | undefined {
  const pool = pools.get(prisma);
  if (pool === undefined) return undefined;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** The one way to open Prisma: adapter-pg over a node-postgres pool. */
export function createPrismaClient({
  url,
  caFile,
  max,
  transactionOptions,
}: CreatePrismaClientOptions): PrismaClient {
  const pool = new pg.Pool({
    ...pgConnectionConfig({ url, caFile }),
    ...(max === undefined ? {} : { max }),
  });
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    transactionOptions: { ...transactionDefaults, ...transactionOptions },
  });
  pools.set(prisma, pool);
  return prisma;
}
