import { readFile } from "node:fs/promises";
import { createGuardianClient } from "../../create-guardian-client";
import type { CliIo } from "../cli-io";
import { UsageError } from "../cli-io";
import { rememberCa } from "../open-client";

export interface JoinOptions {
  readonly stateDir: string;
  readonly server: string | undefined;
  readonly caFile: string | undefined;
  readonly code: string | undefined;
  readonly vault: string | undefined;
  readonly device: string | undefined;
  readonly name: string | undefined;
}

/**
 * `conclave-guardian join`: redeems an invitation and stores identity key and tokens.
 * The SDK proves possession of the new identity key with a signed join challenge.
 */
export async function joinCommand(options: JoinOptions, io: CliIo): Promise<number> {
  const { server, code, vault, device } = options;
  if (server === undefined || code === undefined || vault === undefined || device === undefined)
    throw new UsageError("join needs --server, --code, --vault and --device");
  const ca = options.caFile === undefined ? undefined : await readFile(options.caFile, "utf8");
  const client = createGuardianClient({
    serverUrl: server,
    stateDir: options.stateDir,
    ...(ca === undefined ? {} : { ca }),
  });
  try {
    const state = await client.join({
      vaultId: vault,
      code,
      deviceName: device,
      ...(options.name === undefined ? {} : { displayName: options.name }),
    });
    if (ca !== undefined) await rememberCa(options.stateDir, ca);
    io.out(`joined vault ${vault} as guardian ${state.guardianId}`);
    io.out(`identity key ${state.identity.publicKeyHex}`);
    io.out(`state kept in ${options.stateDir} (owner-only)`);
    return 0;
  } finally {
    await client.close();
  }
}
