import { connect } from "node:net";
import pg from "pg";
import { describe, expect, it } from "vitest";

// Guards the harness itself: every integration suite relies on these two.
describe("provisioned test services", () => {
  it("reaches PostgreSQL as a superuser", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const result = await client.query<{ superuser: string }>(
        "SELECT current_setting('is_superuser') AS superuser",
      );
      expect(result.rows[0]?.superuser).toBe("on");
    } finally {
      await client.end();
    }
  });

  it("reaches Redis", async () => {
    const url = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:0");
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname);
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString());
      });
      socket.once("error", reject);
    });
    expect(reply).toBe("+PONG\r\n");
  });
});
