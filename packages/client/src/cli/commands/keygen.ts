import { runKeygen } from "../../keygen/run-keygen";
import type { CliIo } from "../cli-io";
import { UsageError } from "../cli-io";
import { openJoinedClient } from "../open-client";
import { readPassphrase } from "../prompt";
import { progressLine } from "../progress-line";

/** `conclave-guardian keygen --vault ID`: takes part in the vault's DKG until it is active. */
export async function keygenCommand(
  stateDir: string,
  vaultId: string | undefined,
  io: CliIo,
): Promise<number> {
  if (vaultId === undefined) throw new UsageError("keygen needs --vault");
  const passphrase = await readPassphrase(true);
  const client = await openJoinedClient(stateDir);
  try {
    io.err("keygen: this waits for every guardian of the vault; leave it running");
    const result = await runKeygen(client, {
      vaultId,
      passphrase,
      stateDir,
      onProgress: (line) => {
        io.err(progressLine(line));
      },
    });
    io.out(`vault ${vaultId} is active`);
    io.out(`group key (x-only) ${result.groupPublicKeyXOnly}`);
    io.out(`this device is guardian #${result.guardianIndex}; share in ${result.keyShareFile}`);
    return 0;
  } finally {
    await client.close();
  }
}
