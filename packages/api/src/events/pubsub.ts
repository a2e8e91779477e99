/**
 * Fire-and-forget messages between the processes of one deployment: Redis pub/sub
 * when there is a Redis, PostgreSQL LISTEN/NOTIFY otherwise. A message may be lost
 * (a dropped connection) or seen by its own sender; the buses built on this tolerate
 * both.
 */
export type PubSub = {
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once messages on `channel` are being received. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<void>;
  close(): Promise<void>;
};
