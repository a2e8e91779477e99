import { frostSuite, SCALAR_BYTES } from "./ciphersuite";
import { decodePublicKeyPackage, decodeSigningPackage } from "./decode-packages";
import { FrostAggregationError } from "./errors";
import { decodeHex, encodeHex } from "./hex-codec";
import { guardianIdentifier } from "./identifiers";
import { verifySignatureShares } from "./verify-share";
import type { PublicKeyPackage, SignatureShare, SigningPackage } from "./wire-types";

/**
 * RFC 9591 section 5.3: sums the shares into a 64-byte BIP340 signature (hex).
 * Every share is verified first, so a failure names the guilty signers
 * (FrostAggregationError.invalidSigners) instead of producing a bad signature.
 */
export function aggregateSignature(
  publicKeyPackage: PublicKeyPackage,
  signingPackage: SigningPackage,
  shares: readonly SignatureShare[],
): string {
  const verdicts = verifySignatureShares(publicKeyPackage, signingPackage, shares);
  if (verdicts.invalid.length > 0) throw new FrostAggregationError(verdicts.invalid);
  const pub = decodePublicKeyPackage(publicKeyPackage);
  const pkg = decodeSigningPackage(signingPackage, publicKeyPackage);
  const shareMap: Record<string, Uint8Array> = {};
  for (const s of shares)
    shareMap[guardianIdentifier(s.signer)] = decodeHex(s.share, SCALAR_BYTES, "share");
  try {
    return encodeHex(frostSuite.aggregate(pub, pkg.commitments, pkg.message, shareMap));
  } catch {
    throw new FrostAggregationError([]);
  }
}
