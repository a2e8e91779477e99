#!/usr/bin/env -S node --import tsx
// The guardian CLI. State (identity key, tokens, pinned CA) lives in --state-dir,
// default $CONCLAVE_GUARDIAN_HOME or ~/.conclave-guardian, owner-only.
import { homedir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { TRPCClientError } from "@trpc/client";
import { UsageError, type CliIo } from "./cli-io";
import { joinCommand } from "./commands/join";
import { keygenCommand } from "./commands/keygen";
import { signCommand } from "./commands/sign";
import { sessionsCommand } from "./commands/sessions";
import { statusCommand } from "./commands/status";

const USAGE = `usage: conclave-guardian <command> [--state-dir DIR]

  join --server URL --vault ID --code CODE --device NAME [--ca FILE] [--name NAME]
  status
  sessions [list | revoke SESSION_ID | revoke-others]
  keygen --vault ID
  sign --vault ID --tx ID [--auto-approve]

The key share passphrase is asked for, or read from CONCLAVE_GUARDIAN_PASSPHRASE.`;

const io: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      "state-dir": { type: "string" },
      server: { type: "string" },
      ca: { type: "string" },
      code: { type: "string" },
      vault: { type: "string" },
      device: { type: "string" },
      name: { type: "string" },
      tx: { type: "string" },
      "auto-approve": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const stateDir = path.resolve(
    values["state-dir"] ??
      process.env.CONCLAVE_GUARDIAN_HOME ??
      path.join(homedir(), ".conclave-guardian"),
  );
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined) {
    io.out(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  switch (command) {
    case "join":
      return joinCommand(
        {
          stateDir,
          server: values.server,
          caFile: values.ca,
          code: values.code,
          vault: values.vault,
          device: values.device,
          name: values.name,
        },
        io,
      );
    case "status":
      return statusCommand(stateDir, io);
    case "sessions":
      return sessionsCommand(stateDir, rest, io);
    case "keygen":
      return keygenCommand(stateDir, values.vault, io);
    case "sign":
      return signCommand(
        {
          stateDir,
          vaultId: values.vault,
          transactionId: values.tx,
          autoApprove: values["auto-approve"] === true,
        },
        io,
      );
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: unknown }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
    ) {
      io.err(`conclave-guardian: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    // Server errors carry a code and a message meant for the caller, never a token.
    const message =
      error instanceof TRPCClientError
        ? `server refused: ${error.message}`
        : error instanceof Error
          ? error.message
          : "unknown error";
    io.err(`conclave-guardian: ${message}`);
    process.exit(1);
  },
);
