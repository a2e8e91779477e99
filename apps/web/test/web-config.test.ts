import { describe, expect, it } from "vitest";
import { ConfigError } from "@conclave/config/config-error";
import { loadWebConfig } from "../src/config";

describe("loadWebConfig", () => {
  it("names the console's missing production secrets without printing present ones", () => {
    const present = "Wm4xQ0nB7rT2cY9kL5sD8fH1jP3gV6zA";
    let error: unknown;
    try {
      loadWebConfig({ NODE_ENV: "production", LOG_HMAC_KEY: present });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const variables = (error as ConfigError).problems.map((problem) => problem.variable);
    expect(variables).toEqual(
      expect.arrayContaining(["NEXTAUTH_SECRET", "API_KEY_PEPPER", "PUBLIC_WEB_ORIGIN"]),
    );
    expect(variables).not.toContain("LOG_HMAC_KEY");
    expect((error as ConfigError).message).not.toContain(present);
  });
});
