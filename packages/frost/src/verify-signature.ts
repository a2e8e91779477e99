import { schnorr } from "@noble/curves/secp256k1.js";
import { frostSuite, MAX_MESSAGE_BYTES, SIGNATURE_BYTES } from "./ciphersuite";
import { decodeHex, decodeHexInRange } from "./hex-codec";
import { decodeXOnlyPoint } from "./point-validation";

export interface VerifyGroupSignatureInput {
  /** 32-byte x-only group key (PublicKeyPackage.groupPublicKeyXOnly). */
  groupPublicKeyXOnly: string;
  message: string;
  /** 64-byte BIP340 signature. */
  signature: string;
}

/**
 * Final check before a transaction completes. A signature counts only if both the
 * FROST suite and an independent plain BIP340 verifier (`schnorr.verify`) accept it,
 * which is what a Bitcoin node will run.
 */
export function verifyGroupSignature(input: VerifyGroupSignatureInput): boolean {
  const key = decodeHex(input.groupPublicKeyXOnly, 32, "groupPublicKeyXOnly");
  decodeXOnlyPoint(input.groupPublicKeyXOnly, "groupPublicKeyXOnly");
  const message = decodeHexInRange(input.message, 1, MAX_MESSAGE_BYTES, "message");
  const signature = decodeHex(input.signature, SIGNATURE_BYTES, "signature");
  if (!schnorr.verify(signature, message, key)) return false;
  try {
    return frostSuite.verify(signature, message, key);
  } catch {
    return false;
  }
}
