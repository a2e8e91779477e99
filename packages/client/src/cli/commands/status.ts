import { existsSync } from "node:fs";
import { keyShareFilePath, loadKeyShare } from "../../keyshare/key-share-file";
import { checkVaultAddress, VaultAddressMismatchError } from "../../vaults/check-vault-address";
import type { CliIo } from "../cli-io";
import { openJoinedClient } from "../open-client";
import { readPassphrase } from "../prompt";

/**
 * `conclave-guardian status`: who this device is and whether the server accepts it.
 * A vault address is shown only once re-derived from this device's key package; a
 * different one from the server is refused (exit 1).
 */
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
    let passphrase: string | undefined;
    for (const vault of vaults) {
      io.out(
        `vault        ${vault.id} ${vault.name} (${vault.chain} ${vault.network}, ${vault.threshold}-of-${vault.guardianCount}, ${vault.status})`,
      );
      if (vault.address === null) continue;
      if (!existsSync(keyShareFilePath(stateDir, vault.id))) {
        io.out(`  address    ${vault.address}  (no key share on this device: not checked)`);
        continue;
      }
      passphrase ??= await readPassphrase(false);
      try {
        checkVaultAddress(await loadKeyShare(stateDir, vault.id, passphrase), vault);
      } catch (error) {
        if (!(error instanceof VaultAddressMismatchError)) throw error;
        io.err(`${error.message} (vault ${vault.id}, server shows ${vault.address})`);
        return 1;
      }
      io.out(`  address    ${vault.address}  (re-derived from this device's key package)`);
    }
    return 0;
  } finally {
    await client.close();
  }
}
