import type { z } from "zod";

/**
 * A JSON column held (or was about to receive) a value its schema refuses: corrupted
 * data or a code bug, so it surfaces as an internal error, not as a client's fault. The
 * message names the column and the failing paths only; stored values never reach it.
 */
export class JsonColumnError extends Error {
  readonly issues: readonly { path: string; message: string }[];

  constructor(
    readonly column: string,
    readonly direction: "read" | "write",
    issues: readonly z.core.$ZodIssue[],
  ) {
    const summary = issues.map((issue) => ({
      path: issue.path.map(String).join(".") || "(root)",
      message: issue.message,
    }));
    super(
      `${direction === "read" ? "Stored" : "Refused to store"} ${column} is malformed: ${summary
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join("; ")}`,
    );
    this.name = "JsonColumnError";
    this.issues = summary;
  }
}
