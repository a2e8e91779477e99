// systemd's LoadCredential= hands secrets to a service as files in $CREDENTIALS_DIRECTORY.
import { dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config-error";
import { loadConfig } from "../src/load-config";
import { readSecret } from "../src/read-secret";
import { secretsConfig } from "../src/secrets-config";
import { createTempFiles, type TempFiles } from "./temp-files";

const SECRET = "credential-value-that-must-never-be-printed-Xk3";
const OTHER = "environment-value-that-must-never-be-printed-Pw7";

function captureConfigError(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readSecret from $CREDENTIALS_DIRECTORY", () => {
  let files: TempFiles;
  let credentials: string;
  beforeEach(() => {
    files = createTempFiles();
    credentials = dirname(files.write("API_KEY_PEPPER", `${SECRET}\n`, 0o400));
  });
  afterEach(() => {
    files.remove();
  });

  it("reads the credential named after the variable", () => {
    expect(readSecret({ CREDENTIALS_DIRECTORY: credentials }, "API_KEY_PEPPER")).toBe(SECRET);
  });

  it("ignores credentials of other names and an unset or empty directory", () => {
    expect(readSecret({ CREDENTIALS_DIRECTORY: credentials }, "LOG_HMAC_KEY")).toBeUndefined();
    expect(readSecret({ CREDENTIALS_DIRECTORY: "" }, "API_KEY_PEPPER")).toBeUndefined();
    expect(readSecret({}, "API_KEY_PEPPER")).toBeUndefined();
  });

  it.each([
    ["NAME", { API_KEY_PEPPER: OTHER }, "API_KEY_PEPPER"],
    ["NAME_FILE", { API_KEY_PEPPER_FILE: "/etc/conclave/pepper" }, "API_KEY_PEPPER_FILE"],
  ])("refuses %s beside the credential instead of picking one", (_, extra, named) => {
    const error = captureConfigError(() =>
      readSecret({ CREDENTIALS_DIRECTORY: credentials, ...extra }, "API_KEY_PEPPER"),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.variable).toBe("API_KEY_PEPPER");
    expect(error.message).toContain(named);
    expect(error.message).toContain(`the credential ${credentials}/API_KEY_PEPPER`);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(OTHER);
  });

  it("applies the owner-only rule to the credential file too", () => {
    const path = files.write("LOG_HMAC_KEY", SECRET, 0o644);
    const error = captureConfigError(() =>
      readSecret({ CREDENTIALS_DIRECTORY: dirname(path) }, "LOG_HMAC_KEY"),
    );
    expect(error.problems[0]?.message).toContain("accessible by group or others");
    expect(error.message).not.toContain(SECRET);
  });

  it("lets a production config take every secret from credentials alone", () => {
    const values = {
      API_KEY_PEPPER: SECRET,
      LOG_HMAC_KEY: "log-hmac-key-from-a-credential-file-0123456789",
    };
    const dir = dirname(files.write("LOG_HMAC_KEY", values.LOG_HMAC_KEY, 0o400));
    const config = loadConfig(
      { secrets: secretsConfig(["API_KEY_PEPPER", "LOG_HMAC_KEY"]) },
      { NODE_ENV: "production", CREDENTIALS_DIRECTORY: dir },
    );
    expect(config.secrets).toEqual(values);
  });

  it("names all three sources when a secret is missing", () => {
    const error = captureConfigError(() =>
      loadConfig(
        { secrets: secretsConfig(["NEXTAUTH_SECRET"]) },
        { NODE_ENV: "production", CREDENTIALS_DIRECTORY: credentials },
      ),
    );
    expect(error.problems).toEqual([
      {
        variable: "NEXTAUTH_SECRET",
        message:
          "is required (set NEXTAUTH_SECRET, NEXTAUTH_SECRET_FILE or the systemd credential NEXTAUTH_SECRET)",
      },
    ]);
  });
});
