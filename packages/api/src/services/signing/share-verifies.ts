import { FrostInputError } from "@conclave/frost/errors";
import { verifySignatureShare } from "@conclave/frost/verify-share";
import type { SigningPackages } from "./read-signing-packages";

/**
 * RFC 9591 section 5.4, once per message: `shares[k]` against the k-th signing package.
 * A share that is not even a valid scalar is as invalid as one that fails the check:
 * both name the guardian who sent it.
 */
export function shareVerifies(
  { publicKeyPackage, signingPackages }: SigningPackages,
  signer: number,
  shares: readonly string[],
): boolean {
  if (shares.length !== signingPackages.length) return false;
  return signingPackages.every((signingPackage, k) => {
    try {
      return verifySignatureShare({
        publicKeyPackage,
        signingPackage,
        share: { signer, share: shares[k] ?? "" },
      });
    } catch (error) {
      if (!(error instanceof FrostInputError)) throw error;
      return false;
    }
  });
}
