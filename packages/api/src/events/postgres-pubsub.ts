import pg from "pg";
import type { ClientConfig } from "pg";
import type { Logger } from "@conclave/logger/create-logger";
import { createOutageLog } from "./outage-log";
import type { PubSub } from "./pubsub";

export type PostgresPubSubOptions = {
  /** The same settings (URL, TLS) as Prisma's pool: pgConnectionConfig. */
  connection: ClientConfig;
  logger: Logger;
  label: string;
  /** Waits between reconnect attempts after the LISTEN connection drops: doubling, capped. */
  reconnect?: { minMs: number; maxMs: number };
};

export type PostgresPubSub = PubSub & {
  /** Backend pid of the LISTEN connection; null while it is being re-established. */
  listenerPid(): number | null;
};

const defaultReconnect = { minMs: 250, maxMs: 10_000 };

/**
 * PostgreSQL LISTEN/NOTIFY for a deployment without Redis (embedded mode runs the
 * console and the ws-server as two processes on one database). One dedicated
 * connection LISTENs on every subscribed channel and is re-established with backoff
 * after a drop; NOTIFY goes through a one-connection pool, so publishing does not
 * depend on the listener. NOTIFY is per database, so each test database is private.
 */
export async function createPostgresPubSub(
  options: PostgresPubSubOptions,
): Promise<PostgresPubSub> {
  const { minMs, maxMs } = options.reconnect ?? defaultReconnect;
  const outage = createOutageLog(options.logger, options.label, "postgres");
  // Generous: on a loaded 2-core machine a first connection at start took over 5 s, and
  // a start that gives up here takes the whole app down.
  const settings: ClientConfig = { connectionTimeoutMillis: 30_000, ...options.connection };
  const handlers = new Map<string, (message: string) => void>();
  const publisher = new pg.Pool({ ...settings, max: 1 });
  // An idle pooled connection that dies is dropped by the pool and the next publish
  // opens another; a publish that fails is logged by its bus. The outage log follows
  // the LISTEN connection only, so its error and recovery lines pair up.
  publisher.on("error", () => undefined);
  let listener: { client: pg.Client; pid: number; channels: Set<string> } | null = null;
  let closed = false;
  let retryMs = minMs;
  let retryTimer: NodeJS.Timeout | undefined;

  async function listen(client: pg.Client, channels: Set<string>, channel: string): Promise<void> {
    if (channels.has(channel)) return;
    channels.add(channel);
    await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
  }

  async function open(): Promise<NonNullable<typeof listener>> {
    const client = new pg.Client({ ...settings, keepAlive: true });
    // Errors while connecting reject connect(); later ones are handled by watch(). This
    // only keeps an error between the two from being unhandled.
    const ignore = () => undefined;
    client.on("error", ignore);
    client.on("notification", (notification: pg.Notification) => {
      if (notification.payload !== undefined)
        handlers.get(notification.channel)?.(notification.payload);
    });
    try {
      await client.connect();
      const channels = new Set<string>();
      for (const channel of [...handlers.keys()]) await listen(client, channels, channel);
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      return { client, pid: rows[0]?.pid ?? 0, channels };
    } catch (error) {
      await client.end().catch(ignore);
      throw error;
    }
  }

  function watch(current: NonNullable<typeof listener>): void {
    const drop = (error: Error) => {
      if (listener !== current) return;
      listener = null;
      current.client.end().catch(() => undefined);
      if (closed) return;
      outage.failed(error);
      reconnectLater();
    };
    current.client.on("error", drop);
    current.client.on("end", () => {
      drop(new Error("LISTEN connection ended"));
    });
  }

  function reconnectLater(): void {
    // Jittered, so the processes of a deployment do not reconnect in lockstep.
    const delay = retryMs * (0.5 + Math.random() / 2);
    retryMs = Math.min(retryMs * 2, maxMs);
    retryTimer = setTimeout(() => {
      open().then(
        async (opened) => {
          if (closed) {
            await opened.client.end();
            return;
          }
          listener = opened;
          watch(opened);
          retryMs = minMs;
          outage.recovered();
          // Channels subscribed while this connection was being opened.
          for (const channel of handlers.keys())
            await listen(opened.client, opened.channels, channel).catch(() => undefined);
        },
        (error: unknown) => {
          if (closed) return;
          outage.failed(error instanceof Error ? error : new Error("connect failed"));
          reconnectLater();
        },
      );
    }, delay);
    retryTimer.unref();
  }

  // The first connection must succeed: a process that cannot reach its database
  // should fail at start, not run without revocations.
  try {
    listener = await open();
  } catch (error) {
    await publisher.end();
    throw error;
  }
  watch(listener);

  return {
    async publish(channel, message) {
      await publisher.query("SELECT pg_notify($1, $2)", [channel, message]);
    },
    async subscribe(channel, onMessage) {
      handlers.set(channel, onMessage);
      const current = listener;
      // Without a connection, the reconnect LISTENs on every subscribed channel.
      if (current === null) return;
      try {
        await listen(current.client, current.channels, channel);
      } catch (error) {
        if (listener === current) throw error;
      }
    },
    listenerPid: () => listener?.pid ?? null,
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      handlers.clear();
      const current = listener;
      listener = null;
      await Promise.allSettled([current?.client.end(), publisher.end()]);
    },
  };
}
