import { schnorr_FROST } from "@noble/curves/secp256k1.js";

/**
 * FROST(secp256k1, SHA-256) in its Taproot variant (frost-secp256k1-tr): group
 * signatures are BIP340 signatures and DKG output keys carry the BIP341 TapTweak with
 * an empty merkle root (key-path-only output key). Every wrapper goes through this one
 * suite object so server and client cannot disagree on the ciphersuite.
 */
export const frostSuite = schnorr_FROST;

export const CIPHERSUITE_ID = "FROST-secp256k1-SHA256-TR-v1";

/** Domain separation tag of the DKG proof-of-knowledge challenge (HDKG in @noble/curves). */
export const DKG_CHALLENGE_DST = `${CIPHERSUITE_ID}dkg`;

export const SCALAR_BYTES = 32;
/** SEC1 compressed point. */
export const POINT_BYTES = 33;
export const X_ONLY_BYTES = 32;
/** BIP340 signature: x(R) || z. */
export const SIGNATURE_BYTES = 64;
/** The DKG proof of knowledge uses the same x(R) || z encoding as a signature. */
export const PROOF_OF_KNOWLEDGE_BYTES = 64;
/** Messages are digests in practice; the cap keeps hostile input cheap to reject. */
export const MAX_MESSAGE_BYTES = 1024;
