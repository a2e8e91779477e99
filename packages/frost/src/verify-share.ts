import { frostSuite, SCALAR_BYTES } from "./ciphersuite";
import { decodePublicKeyPackage, decodeSigningPackage } from "./decode-packages";
import { FrostInputError } from "./errors";
import { decodeHex } from "./hex-codec";
import { assertGuardianIndex, guardianIdentifier } from "./identifiers";
import type { PublicKeyPackage, SignatureShare, SigningPackage } from "./wire-types";

export interface VerifyShareInput {
  publicKeyPackage: PublicKeyPackage;
  signingPackage: SigningPackage;
  share: SignatureShare;
}

/**
 * The coordinator's per-share check (RFC 9591 section 5.4):
 * z_i*G == R_i + c * lambda_i * Y_i, where R_i is the signer's binding-factor-weighted
 * commitment. Returns false for a share that fails; throws FrostInputError for a share
 * that is malformed or from a guardian outside the signer set (also attributable to
 * `share.signer` when that index is in range).
 */
export function verifySignatureShare(input: VerifyShareInput): boolean {
  const pub = decodePublicKeyPackage(input.publicKeyPackage);
  const pkg = decodeSigningPackage(input.signingPackage, input.publicKeyPackage);
  const signer = assertGuardianIndex(
    input.share.signer,
    "share.signer",
    input.publicKeyPackage.participants,
  );
  if (!pkg.signers.includes(signer)) {
    throw new FrostInputError("share.signer", "unexpected", "not in the signer set");
  }
  const share = decodeHex(input.share.share, SCALAR_BYTES, "share.share");
  try {
    return frostSuite.verifyShare(
      pub,
      pkg.commitments,
      pkg.message,
      guardianIdentifier(signer),
      share,
    );
  } catch {
    return false;
  }
}

export interface ShareVerdicts {
  /** Signers whose shares verified. */
  valid: number[];
  /** Signers to name in a security event: bad share, malformed share, or no share. */
  invalid: number[];
}

/**
 * Checks one share per signer in the signing package and names every signer whose
 * share is missing, malformed, or wrong. Shares from guardians outside the signer set
 * are a coordinator bug and throw.
 */
export function verifySignatureShares(
  publicKeyPackage: PublicKeyPackage,
  signingPackage: SigningPackage,
  shares: readonly SignatureShare[],
): ShareVerdicts {
  const pkg = decodeSigningPackage(signingPackage, publicKeyPackage);
  const bySigner = new Map<number, SignatureShare>();
  for (const [i, s] of shares.entries()) {
    const signer = assertGuardianIndex(
      s.signer,
      `shares.${i}.signer`,
      publicKeyPackage.participants,
    );
    if (!pkg.signers.includes(signer)) {
      throw new FrostInputError(`shares.${i}.signer`, "unexpected", "not in the signer set");
    }
    if (bySigner.has(signer))
      throw new FrostInputError(`shares.${i}.signer`, "duplicate", "signer listed twice");
    bySigner.set(signer, s);
  }
  const verdicts: ShareVerdicts = { valid: [], invalid: [] };
  for (const signer of [...pkg.signers].sort((a, b) => a - b)) {
    const share = bySigner.get(signer);
    let ok = false;
    if (share !== undefined) {
      try {
        ok = verifySignatureShare({ publicKeyPackage, signingPackage, share });
      } catch (error) {
        if (!(error instanceof FrostInputError)) throw error;
      }
    }
    (ok ? verdicts.valid : verdicts.invalid).push(signer);
  }
  return verdicts;
}
