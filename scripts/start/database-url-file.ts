// The embedded database's port changes at every start, so each start rewrites the
// application role's URL (password included, hence 0600) for tools run beside it, e.g.
// `DATABASE_URL_FILE=.conclave/secrets/database_url npm run conclave -- audit verify`.
import { renameSync, writeFileSync } from "node:fs";

export function writeDatabaseUrlFile(file: string, url: string): void {
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, url, { mode: 0o600, flag: "w" });
  renameSync(staging, file);
}
