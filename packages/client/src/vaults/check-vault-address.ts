import { vaultTaprootAddress } from "@conclave/validators/taproot-address";
import type { KeyShare } from "../keyshare/key-share-file";

export class VaultAddressMismatchError extends Error {
  override readonly name = "VaultAddressMismatchError";
  constructor() {
    super(
      "REFUSED: the server's vault address differs from the one derived from this device's key package",
    );
  }
}

/**
 * Re-derives the vault's P2TR address from this guardian's own public key package and
 * returns it when the server shows the same one. Funds sent to an address the server
 * made up would not be the vault's, so any difference is a refusal.
 */
export function checkVaultAddress(
  keyShare: KeyShare,
  served: { chain: string; network: string; status: string; address: string | null },
): string | null {
  const own = vaultTaprootAddress({
    chain: served.chain,
    network: served.network,
    status: served.status,
    groupPublicKeyXOnly: keyShare.publicKeyPackage.groupPublicKeyXOnly,
  });
  if (own !== served.address) throw new VaultAddressMismatchError();
  return own;
}
