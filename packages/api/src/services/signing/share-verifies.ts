import { FrostInputError } from "@conclave/frost/errors";
import { verifySignatureShare } from "@conclave/frost/verify-share";
import type { SigningPackages } from "./read-signing-packages";

/**
 * RFC 9591 section 5.4. A share that is not even a valid scalar is as invalid as one
 * that fails the check: both name the guardian who sent it.
 */
export function shareVerifies(packages: SigningPackages, signer: number, share: string): boolean {
  try {
    return verifySignatureShare({ ...packages, share: { signer, share } });
  } catch (error) {
    if (!(error instanceof FrostInputError)) throw error;
    return false;
  }
}
