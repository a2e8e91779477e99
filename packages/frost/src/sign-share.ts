import type { Nonces } from "@noble/curves/abstract/frost.js";
import { frostSuite, SCALAR_BYTES } from "./ciphersuite";
import { decodeKeyPackage, decodePublicKeyPackage, decodeSigningPackage } from "./decode-packages";
import { FrostInputError, FrostProtocolError } from "./errors";
import { decodeHex, encodeHex } from "./hex-codec";
import { decodeScalar } from "./point-validation";
import type {
  KeyPackage,
  PublicKeyPackage,
  SignatureShare,
  SigningNonces,
  SigningPackage,
} from "./wire-types";

export interface SignShareInput {
  keyPackage: KeyPackage;
  publicKeyPackage: PublicKeyPackage;
  /** SECRET, single use: the nonces from this guardian's `commit` for this attempt. */
  nonces: SigningNonces;
  signingPackage: SigningPackage;
}

/**
 * Signing round 2 (RFC 9591 section 5.2). Refuses unless the signing package lists this
 * guardian with exactly the commitments of `nonces`. The caller must verify that
 * `signingPackage.message` is the digest it re-derived itself, and must delete the
 * nonces afterwards: a second share with the same nonces reveals the signing share.
 */
export function signShare(input: SignShareInput): SignatureShare {
  const pub = decodePublicKeyPackage(input.publicKeyPackage);
  const secret = decodeKeyPackage(input.keyPackage, input.publicKeyPackage);
  const pkg = decodeSigningPackage(input.signingPackage, input.publicKeyPackage);
  const me = input.keyPackage.guardianIndex;
  if (!pkg.signers.includes(me)) {
    throw new FrostInputError(
      "signingPackage.commitments",
      "missing",
      "this guardian is not a signer",
    );
  }
  decodeScalar(input.nonces.hiding, "nonces.hiding");
  decodeScalar(input.nonces.binding, "nonces.binding");
  const nonces = {
    hiding: decodeHex(input.nonces.hiding, SCALAR_BYTES, "nonces.hiding"),
    binding: decodeHex(input.nonces.binding, SCALAR_BYTES, "nonces.binding"),
  } as Nonces;
  let share: Uint8Array;
  try {
    share = frostSuite.signShare(secret, pub, nonces, pkg.commitments, pkg.message);
  } catch {
    throw new FrostProtocolError(
      "sign share",
      "nonces do not match this guardian's commitments in the signing package",
    );
  }
  return { signer: me, share: encodeHex(share) };
}
