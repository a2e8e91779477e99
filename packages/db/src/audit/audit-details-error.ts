import type { z } from "zod";
import type { AuditActionName } from "./audit-action";

/**
 * A caller handed writeAudit details that its action does not declare: a programming
 * error, so it aborts the caller's transaction instead of writing a row readers cannot
 * trust. The message names the offending paths and issue codes, never the values, which
 * may be the very secrets redaction exists for.
 */
export class AuditDetailsError extends Error {
  override readonly name = "AuditDetailsError";

  constructor(
    readonly action: AuditActionName,
    readonly issues: readonly { path: string; code: string }[],
  ) {
    super(
      `audit details do not match the schema of ${action}: ${issues
        .map((issue) => `${issue.path || "(root)"} ${issue.code}`)
        .join("; ")}`,
    );
  }

  static fromZod(action: AuditActionName, error: z.ZodError): AuditDetailsError {
    return new AuditDetailsError(
      action,
      error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        code:
          issue.code === "unrecognized_keys"
            ? `unrecognized_keys(${issue.keys.join(",")})`
            : issue.code,
      })),
    );
  }
}
