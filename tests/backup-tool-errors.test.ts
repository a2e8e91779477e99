// What the operator sees of a failing pg_dump or pg_restore: the error sentence, never
// the DETAIL or CONTEXT lines that can quote row values (a password hash, a TOTP secret).
import { describe, expect, it } from "vitest";
import { errorSentences } from "@conclave/ws-server/cli/commands/backup/spawn-tool";

describe("errorSentences", () => {
  it("keeps pg_restore's error line and drops the row values PostgreSQL quotes", () => {
    // As pg_restore 15 printed it here for a duplicate row, plus a bad-value context.
    const stderr = [
      'pg_restore: error: COPY failed for table "User": ERROR:  duplicate key value violates unique constraint "User_email_key"',
      "DETAIL:  Key (email)=(admin@example.test) already exists.",
      'CONTEXT:  COPY User, line 1, column totpSecret: "JBSWY3DPEHPK3PXP"',
      'pg_restore: detail: Command was: COPY public."User" (id, email, "passwordHash") FROM stdin;',
      "pg_restore: warning: errors ignored on restore: 1",
    ].join("\n");
    const shown = errorSentences(stderr);
    expect(shown).toBe(
      [
        'pg_restore: error: COPY failed for table "User": ERROR:  duplicate key value violates unique constraint "User_email_key"',
        "pg_restore: warning: errors ignored on restore: 1",
      ].join("\n"),
    );
    expect(shown).not.toMatch(/admin@example\.test|JBSWY3DP|passwordHash/u);
  });

  it("cuts a DETAIL or CONTEXT that PostgreSQL put on the error line itself", () => {
    expect(
      errorSentences(
        'pg_dump: error: query failed: ERROR:  invalid input DETAIL: value "s3cret" CONTEXT: x',
      ),
    ).toBe("pg_dump: error: query failed: ERROR:  invalid input");
  });
});
