import { frostSuite } from "./ciphersuite";
import { decodeKeyPackageAlone } from "./key-package";
import { encodeHex } from "./hex-codec";
import type { KeyPackage, SigningCommitments, SigningNonces } from "./wire-types";

export interface CommitOutput {
  /** SECRET, single use: keep until this attempt's signShare, then discard. */
  nonces: SigningNonces;
  /** Sent to the coordinator as this guardian's approval for one (transaction, attempt). */
  commitments: SigningCommitments;
}

/** Signing round 1 (RFC 9591 section 5.1): fresh hiding and binding nonces and their commitments. */
export function commit(keyPackage: KeyPackage): CommitOutput {
  const secret = decodeKeyPackageAlone(keyPackage);
  const { nonces, commitments } = frostSuite.commit(secret);
  return {
    nonces: { hiding: encodeHex(nonces.hiding), binding: encodeHex(nonces.binding) },
    commitments: {
      signer: keyPackage.guardianIndex,
      hiding: encodeHex(commitments.hiding),
      binding: encodeHex(commitments.binding),
    },
  };
}
