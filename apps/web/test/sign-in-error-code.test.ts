import { describe, expect, it } from "vitest";
import { describeSignInError } from "../src/app/signin/describe-sign-in-error";
import { encodeAbuseRefusal, parseAbuseRefusal } from "../src/auth/sign-in-error-code";

describe("sign-in refusal codes", () => {
  it("round-trips a refusal and bounds its delay", () => {
    expect(encodeAbuseRefusal("rate_limited", 42)).toBe("rate_limited:42");
    expect(parseAbuseRefusal("rate_limited:42")).toEqual({
      reason: "rate_limited",
      retryAfterSeconds: 42,
    });
    expect(encodeAbuseRefusal("banned", 0.2)).toBe("banned:1");
    expect(encodeAbuseRefusal("banned", 10_000_000)).toBe("banned:86400");
    expect(encodeAbuseRefusal("something_else", 5)).toBe("rate_limited:5");
  });

  it("accepts nothing but the fixed reasons and a bounded number", () => {
    for (const code of [
      "rate_limited",
      "rate_limited:",
      "rate_limited:0",
      "rate_limited:999999",
      "rate_limited:-1",
      "rate_limited:1e3",
      "other:5",
      "banned:5<script>",
      " banned:5",
    ]) {
      expect(parseAbuseRefusal(code)).toBeNull();
    }
  });

  it("describes each code with a fixed message; anything else reads as wrong credentials", () => {
    expect(describeSignInError("rate_limited:42")).toBe(
      "Too many attempts. Try again in 42 seconds.",
    );
    expect(describeSignInError("backoff:1")).toBe("Too many attempts. Try again in 1 second.");
    expect(describeSignInError("banned:900")).toBe(
      "Too many failed attempts from this address. Try again in 15 minutes.",
    );
    expect(describeSignInError("unavailable")).toBe(
      "Sign-in is unavailable right now. Try again shortly.",
    );
    const wrong = "Email, password or authentication code is wrong.";
    expect(describeSignInError("invalid_credentials")).toBe(wrong);
    expect(describeSignInError("constructor")).toBe(wrong);
    expect(describeSignInError("<img src=x>")).toBe(wrong);
    expect(describeSignInError(undefined)).toBe(wrong);
  });
});
