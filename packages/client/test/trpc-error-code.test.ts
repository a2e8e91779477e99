import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { isConnectionFailure, retryLaterMs } from "../src/session/trpc-error-code";

function answered(data: Record<string, unknown>): TRPCClientError<never> {
  return TRPCClientError.from({ error: { message: "refused", code: -32029, data } });
}

describe("reading the server's refusals", () => {
  it("waits as long as a TOO_MANY_REQUESTS refusal asks, at most a minute", () => {
    expect(retryLaterMs(answered({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 7 }))).toBe(7_000);
    expect(retryLaterMs(answered({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 600 }))).toBe(
      60_000,
    );
    // A refusal without a usable delay still backs off a little instead of spinning.
    expect(retryLaterMs(answered({ code: "TOO_MANY_REQUESTS" }))).toBe(1_000);
    expect(retryLaterMs(answered({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: -3 }))).toBe(
      1_000,
    );
  });

  it("waits a second when the server is busy", () => {
    expect(retryLaterMs(answered({ code: "SERVICE_UNAVAILABLE" }))).toBe(1_000);
  });

  it("does not treat other answers or transport failures as rate limits", () => {
    expect(retryLaterMs(answered({ code: "CONFLICT", retryAfterSeconds: 7 }))).toBeUndefined();
    expect(retryLaterMs(new Error("TOO_MANY_REQUESTS"))).toBeUndefined();
    const dropped = TRPCClientError.from(new Error("socket closed"));
    expect(retryLaterMs(dropped)).toBeUndefined();
    expect(isConnectionFailure(dropped)).toBe(true);
    expect(isConnectionFailure(answered({ code: "TOO_MANY_REQUESTS" }))).toBe(false);
  });
});
