// The embedded database's port changes at every start, so each start rewrites the
// application role's URL (password included, hence 0600) for tools run beside it, e.g.
// `DATABASE_URL_FILE=.conclave/secrets/database_url npm run conclave -- audit verify`.
import { writePrivateFileAtomically } from "@conclave/config/write-private-file-atomically";

export async function writeDatabaseUrlFile(file: string, url: string): Promise<void> {
  await writePrivateFileAtomically(file, url);
}
