import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { retryOnConnectionFailure } from "../src/session/retry-on-connection-failure";

// What tRPC's wsLink rejects a call with when its socket closes under it: no server data.
const dropped = () => new TRPCClientError("Unknown error");
const answered = (code: string) =>
  new TRPCClientError("refused", {
    result: { error: { message: "refused", code: -32600, data: { code } } },
  });

describe("retryOnConnectionFailure", () => {
  it("calls again after calls that failed in transit, and returns the first answer", async () => {
    let calls = 0;
    const result = await retryOnConnectionFailure(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(dropped()) : Promise.resolve("answer");
      },
      { firstDelayMs: 1 },
    );
    expect(result).toBe("answer");
    expect(calls).toBe(3);
  });

  it("throws what the server answered at once, without calling again", async () => {
    let calls = 0;
    const refusal = answered("FORBIDDEN");
    await expect(
      retryOnConnectionFailure(
        () => {
          calls += 1;
          return Promise.reject(refusal);
        },
        { firstDelayMs: 1 },
      ),
    ).rejects.toBe(refusal);
    expect(calls).toBe(1);
  });

  it("gives up after the last attempt with the transit error", async () => {
    let calls = 0;
    await expect(
      retryOnConnectionFailure(
        () => {
          calls += 1;
          return Promise.reject(dropped());
        },
        { attempts: 3, firstDelayMs: 1 },
      ),
    ).rejects.toBeInstanceOf(TRPCClientError);
    expect(calls).toBe(3);
  });
});
