import type { CliIo } from "../cli-io";
import { openJoinedClient } from "../open-client";

/** `conclave-guardian status`: who this device is and whether the server accepts it. */
export async function statusCommand(stateDir: string, io: CliIo): Promise<number> {
  const client = await openJoinedClient(stateDir);
  try {
    const session = await client.ensureSession();
    const state = await client.state();
    if (state === undefined) return 1;
    const vaults = await client.api.vaults.list.query();
    io.out(`server       ${state.serverOrigin}`);
    io.out(`guardian     ${state.guardianId}`);
    io.out(`identity key ${state.identity.publicKeyHex}`);
    io.out(`device       ${state.deviceName}`);
    io.out(
      `session      ${session.sessionId} (access token until ${session.accessTokenExpiresAt})`,
    );
    for (const vault of vaults) {
      io.out(
        `vault        ${vault.id} ${vault.name} (${vault.chain}, ${vault.threshold}-of-${vault.guardianCount}, ${vault.status})`,
      );
    }
    return 0;
  } finally {
    await client.close();
  }
}
