import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { logRedisErrors } from "../src/events/log-redis-errors";
import { capturingLogger } from "./support/capturing-logger";

describe("logRedisErrors", () => {
  it("logs the first error of an outage, then one line a minute with the count, then the recovery", () => {
    const { lines, logger } = capturingLogger();
    const connection = new EventEmitter();
    let now = 0;
    logRedisErrors(connection, logger, "bus", { now: () => now });
    const fail = () => connection.emit("error", new Error("connect ECONNREFUSED 127.0.0.1:6379"));

    for (let second = 0; second < 90; second += 2) {
      now = second * 1000;
      fail();
    }
    expect(lines.map((line) => [line.msg, line.suppressed])).toEqual([
      ["bus: redis error", 0],
      ["bus: redis error", 29],
    ]);
    connection.emit("ready");
    connection.emit("ready");
    expect(lines.at(-1)).toMatchObject({ msg: "bus: redis reachable again", suppressed: 14 });
    expect(lines).toHaveLength(3);

    // A new outage is reported at once.
    now += 1000;
    fail();
    expect(lines.at(-1)).toMatchObject({ msg: "bus: redis error", suppressed: 0 });
    expect(lines.at(-1)?.err).toEqual({ message: "connect ECONNREFUSED 127.0.0.1:6379" });
  });
});
