// Operator CLI: `npm run conclave -- <command>`.
//   audit verify   walk the audit hash chain (DATABASE_URL); exit 1 when broken
//   keys rotate    add a new JWT signing key to JWT_KEYRING_FILE (then SIGHUP the servers)
//   bans list      active IP bans;  bans lift <ip>  lift one (audited)
import { userInfo } from "node:os";
import { ConfigError } from "@conclave/config/config-error";
import { databaseConfig } from "@conclave/config/database-config";
import { loadConfig } from "@conclave/config/load-config";
import { createPrismaClient, type PrismaClient } from "@conclave/db/create-prisma-client";
import { auditVerify } from "./commands/audit-verify";
import { BACKUP_USAGE, backupCommand } from "./commands/backup/backup-command";
import { SECRETS_USAGE, secretsCommand } from "./commands/secrets/secrets-command";
import { bansCommand } from "./commands/bans";
import { DOCTOR_USAGE, doctorCommand } from "./commands/doctor/doctor-command";
import { keysRotate } from "./commands/keys-rotate";
import { keysRotateData } from "./commands/keys-rotate-data";

const USAGE = `usage: npm run conclave -- <command>

  audit verify   verify the audit hash chain (reads DATABASE_URL)
  keys rotate    rotate the JWT signing key in JWT_KEYRING_FILE, print the new kid;
                 then send SIGHUP to running ws-servers (or restart them)
  keys rotate-data [--resume]
                 new data key for encrypted fields (DATA_ENCRYPTION_KEY; with
                 DATA_ENCRYPTION_KEY_PREVIOUS, rewrap keys of the old KEK), re-encrypt,
                 retire unused keys; --resume finishes an interrupted run
  bans list      list active IP bans (DATABASE_URL)
  bans lift IP   lift the bans of an address, audited; clears it from Redis
                 (REDIS_URL, ABUSE_REDIS_KEY_PREFIX) so every server admits it at once
${BACKUP_USAGE}
${SECRETS_USAGE}
${DOCTOR_USAGE}`;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function withPrisma(run: (prisma: PrismaClient) => Promise<number>): Promise<number> {
  const { database } = loadConfig({ database: databaseConfig });
  const prisma = createPrismaClient({ url: database.url, caFile: database.caFile, max: 2 });
  try {
    return await run(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

async function main(args: readonly string[]): Promise<number> {
  const command = args.join(" ");
  switch (command) {
    case "doctor":
      return doctorCommand({
        env: process.env,
        uid: process.getuid?.(),
        now: new Date(),
        codePath: process.argv[1] ?? ".",
        print,
      });
    case "audit verify":
      return withPrisma((prisma) => auditVerify(prisma, print));
    case "keys rotate": {
      const keyringFile = process.env.JWT_KEYRING_FILE;
      if (keyringFile === undefined || keyringFile === "") {
        process.stderr.write("keys rotate: JWT_KEYRING_FILE must name the keyring file\n");
        return 2;
      }
      return withPrisma(async (prisma) => {
        const { kid } = await keysRotate({
          prisma,
          keyringFile,
          now: new Date(),
          operator: userInfo().username,
        });
        print(kid);
        return 0;
      });
    }
    default:
      if (args[0] === "backup" || args[0] === "secrets") {
        const io = {
          args: args.slice(1),
          operator: userInfo().username,
          print,
          printError: (line: string) => process.stderr.write(`${line}\n`),
          stdout: process.stdout,
        };
        return args[0] === "backup" ? backupCommand(io) : secretsCommand(io);
      }
      if (args[0] === "keys" && args[1] === "rotate-data")
        return withPrisma((prisma) =>
          keysRotateData({
            prisma,
            env: process.env,
            args: args.slice(2),
            operator: userInfo().username,
            print,
            printError: (line) => process.stderr.write(`${line}\n`),
          }),
        );
      if (args[0] === "bans")
        return withPrisma((prisma) =>
          bansCommand({
            prisma,
            args: args.slice(1),
            operator: userInfo().username,
            print,
            printError: (line) => process.stderr.write(`${line}\n`),
          }),
        );
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Messages from config and keyring errors name variables and problems, never values.
    const message =
      error instanceof ConfigError || error instanceof Error ? error.message : "unknown error";
    process.stderr.write(`conclave: ${message}\n`);
    process.exitCode = 1;
  },
);
