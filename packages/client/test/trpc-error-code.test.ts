import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { isConnectionFailure, rateLimitedForMs } from "../src/session/trpc-error-code";

function answered(data: Record<string, unknown>): TRPCClientError<never> {
  return TRPCClientError.from({ error: { message: "refused", code: -32029, data } });
}

describe("reading the server's refusals", () => {
  it("waits as long as a TOO_MANY_REQUESTS refusal asks, at most a minute", () => {
    expect(rateLimitedForMs(answered({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 7 }))).toBe(
      7_000,
    );
    expect(rateLimitedForMs(answered({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: 600 }))).toBe(
      60_000,
    );
    // A refusal without a usable delay still backs off a little instead of spinning.
    expect(rateLimitedForMs(answered({ code: "TOO_MANY_REQUESTS" }))).toBe(1_000);
    expect(rateLimitedForMs(answered({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: -3 }))).toBe(
      1_000,
    );
  });

  it("does not treat other answers or transport failures as rate limits", () => {
    expect(rateLimitedForMs(answered({ code: "CONFLICT", retryAfterSeconds: 7 }))).toBeUndefined();
    expect(rateLimitedForMs(new Error("TOO_MANY_REQUESTS"))).toBeUndefined();
    const dropped = TRPCClientError.from(new Error("socket closed"));
    expect(rateLimitedForMs(dropped)).toBeUndefined();
    expect(isConnectionFailure(dropped)).toBe(true);
    expect(isConnectionFailure(answered({ code: "TOO_MANY_REQUESTS" }))).toBe(false);
  });
});
