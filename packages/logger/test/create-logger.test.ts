import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, withRequestId } from "../src/create-logger";
import { correlationHmac } from "../src/hmac-for-logs";

const SECRETS = [
  "SECRET-depth1",
  "SECRET-depth2",
  "SECRET-depth5",
  "SECRET-in-array",
  "SECRET-in-error",
  "SECRET-in-cause",
  "SECRET-in-binding",
  "SECRET-in-grandchild",
  "SECRET-interpolated",
];

function memoryLogger(): {
  lines: () => Record<string, unknown>[];
  raw: () => string;
  logger: ReturnType<typeof createLogger>;
} {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString("utf8"));
      callback();
    },
  });
  const logger = createLogger({ name: "test", level: "trace", destination });
  const raw = () => chunks.join("");
  const lines = () =>
    raw()
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, raw, lines };
}

describe("createLogger", () => {
  it("never writes nested secrets but keeps public fields", () => {
    const { logger, raw, lines } = memoryLogger();
    const child = logger.child({
      vaultId: "vault-1",
      session: { refreshToken: "SECRET-in-binding" },
    });
    const grandchild = child.child({ apiKey: "SECRET-in-grandchild", keyId: "kid-7" });
    const error = Object.assign(
      new Error("signing failed", {
        cause: Object.assign(new Error("x"), { nonce: "SECRET-in-cause" }),
      }),
      {
        context: { keyShare: "SECRET-in-error", publicKey: "02abcdef" },
      },
    );
    grandchild.info(
      {
        password: "SECRET-depth1",
        a: { token: "SECRET-depth2" },
        b: { c: { d: { e: { privateKey: "SECRET-depth5", publicKey: "pk-depth5" } } } },
        list: [{ invitationCode: "SECRET-in-array" }, { groupPublicKey: "gpk-1" }],
        err: error,
      },
      "guardian %s joined with %j",
      "g-1",
      { code: "SECRET-interpolated" },
    );
    const output = raw();
    for (const secret of SECRETS) expect(output).not.toContain(secret);
    for (const visible of [
      "vault-1",
      "kid-7",
      "02abcdef",
      "pk-depth5",
      "gpk-1",
      "signing failed",
      "g-1",
    ]) {
      expect(output).toContain(visible);
    }
    const [line] = lines();
    expect(line).toMatchObject({
      name: "test",
      level: "info",
      vaultId: "vault-1",
      keyId: "kid-7",
      apiKey: "[REDACTED]",
      session: { refreshToken: "[REDACTED]" },
      password: "[REDACTED]",
      b: { c: { d: { e: { privateKey: "[REDACTED]", publicKey: "pk-depth5" } } } },
      err: {
        type: "Error",
        message: "signing failed",
        context: { keyShare: "[REDACTED]", publicKey: "02abcdef" },
      },
    });
    expect(typeof line?.["time"]).toBe("string");
    expect(new Date(line?.["time"] as string).toISOString()).toBe(line?.["time"]);
  });

  it("redacts tokens inside messages and error messages", () => {
    const { logger, raw } = memoryLogger();
    const jwt = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJndWFyZGlhbiJ9.c2lnbmF0dXJlc2lnbmF0dXJl";
    logger.warn(`rejected Bearer ${jwt}`);
    logger.error(new Error(`bad token ${jwt}`));
    logger.error({ err: new Error(`also ${jwt}`) });
    expect(raw()).not.toContain("eyJzdWIiOiJndWFyZGlhbiJ9");
    expect(raw().match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it("redacts bindings set later and bindings of children created with options", () => {
    const { logger, raw } = memoryLogger();
    const child = logger.child({ vaultId: "vault-2" }, { level: "debug" });
    child.setBindings({ cookie: "SECRET-set-bindings" });
    child.info("after setBindings");
    child.child({ nested: { seed: "SECRET-child-options" } }, { msgPrefix: "p: " }).info("x");
    expect(raw()).not.toMatch(/SECRET-set-bindings|SECRET-child-options/);
    expect(raw()).toContain("after setBindings");
  });

  it("withRequestId adds reqId to every line", () => {
    const { logger, lines } = memoryLogger();
    const requestLogger = withRequestId(logger, "req-123");
    requestLogger.info("one");
    requestLogger.child({ step: 2 }).info("two");
    expect(lines().map((line) => line["reqId"])).toEqual(["req-123", "req-123"]);
  });

  it("respects the level", () => {
    const { logger, lines } = memoryLogger();
    logger.level = "warn";
    logger.info("hidden");
    logger.warn("shown");
    expect(lines().map((line) => line["msg"])).toEqual(["shown"]);
  });
});

describe("correlationHmac", () => {
  const key = "k".repeat(32);
  it("is stable, short, keyed and does not contain the value", () => {
    const a = correlationHmac(key, "203.0.113.7");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(correlationHmac(key, "203.0.113.7")).toBe(a);
    expect(correlationHmac(key, "203.0.113.8")).not.toBe(a);
    expect(correlationHmac("j".repeat(32), "203.0.113.7")).not.toBe(a);
  });
  it("refuses a short key", () => {
    expect(() => correlationHmac("short", "v")).toThrow(RangeError);
  });
});
