import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config-error";
import { readSecret } from "../src/read-secret";
import { createTempFiles, type TempFiles } from "./temp-files";

const SECRET = "s3cr3t-value-that-must-never-be-printed-Zq9";

function captureConfigError(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readSecret", () => {
  let files: TempFiles;
  beforeEach(() => {
    files = createTempFiles();
  });
  afterEach(() => {
    files.remove();
  });

  it("reads the variable itself", () => {
    expect(readSecret({ API_KEY_PEPPER: SECRET }, "API_KEY_PEPPER")).toBe(SECRET);
  });

  it("returns undefined when neither form is set, treating empty strings as unset", () => {
    expect(readSecret({}, "API_KEY_PEPPER")).toBeUndefined();
    expect(readSecret({ API_KEY_PEPPER: "", API_KEY_PEPPER_FILE: "" }, "API_KEY_PEPPER")).toBe(
      undefined,
    );
  });

  it("reads an owner-only file and drops one trailing newline", () => {
    const path = files.write("pepper", `${SECRET}\n`, 0o600);
    expect(readSecret({ API_KEY_PEPPER_FILE: path }, "API_KEY_PEPPER")).toBe(SECRET);
  });

  it("accepts a read-only owner file (0400)", () => {
    const path = files.write("pepper", SECRET, 0o400);
    expect(readSecret({ API_KEY_PEPPER_FILE: path }, "API_KEY_PEPPER")).toBe(SECRET);
  });

  it.each([0o640, 0o604, 0o620, 0o602, 0o644, 0o660])(
    "refuses a file with mode %o, naming the variable and path but not the content",
    (mode) => {
      const path = files.write("pepper", SECRET, mode);
      const error = captureConfigError(() =>
        readSecret({ API_KEY_PEPPER_FILE: path }, "API_KEY_PEPPER"),
      );
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]?.variable).toBe("API_KEY_PEPPER_FILE");
      expect(error.message).toContain("API_KEY_PEPPER_FILE");
      expect(error.message).toContain(path);
      expect(error.message).not.toContain(SECRET);
    },
  );

  it("refuses both NAME and NAME_FILE", () => {
    const path = files.write("pepper", SECRET, 0o600);
    const error = captureConfigError(() =>
      readSecret({ API_KEY_PEPPER: SECRET, API_KEY_PEPPER_FILE: path }, "API_KEY_PEPPER"),
    );
    expect(error.problems[0]?.variable).toBe("API_KEY_PEPPER");
    expect(error.message).toContain("API_KEY_PEPPER_FILE");
    expect(error.message).not.toContain(SECRET);
  });

  it("reports a missing file by variable and path", () => {
    const error = captureConfigError(() =>
      readSecret({ API_KEY_PEPPER_FILE: "/nonexistent/pepper" }, "API_KEY_PEPPER"),
    );
    expect(error.problems).toEqual([
      { variable: "API_KEY_PEPPER_FILE", message: "cannot read /nonexistent/pepper (ENOENT)" },
    ]);
  });

  it("refuses an empty file", () => {
    const path = files.write("pepper", "\n", 0o600);
    const error = captureConfigError(() =>
      readSecret({ API_KEY_PEPPER_FILE: path }, "API_KEY_PEPPER"),
    );
    expect(error.problems[0]?.message).toContain("is empty");
  });
});
