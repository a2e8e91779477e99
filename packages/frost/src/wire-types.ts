/**
 * Wire formats shared by server and client. Every byte string is lowercase hex of a
 * fixed length; guardians are named by their 1-based index (see identifiers.ts).
 * Types marked SECRET must never leave the guardian's device unencrypted.
 */

/** Vault parameters every step is checked against. */
export interface FrostGroupParams {
  /** Signatures need `threshold` guardians. */
  threshold: number;
  /** Guardians 1..participants take part in the DKG. */
  participants: number;
}

/** DKG round 1 broadcast, relayed and validated by the server. */
export interface DkgRound1Package {
  sender: number;
  /** `threshold` compressed points (33 bytes): commitments to the sender's polynomial. */
  commitments: string[];
  /** 64 bytes, x(R) || z: Schnorr proof of knowledge of the constant coefficient. */
  proofOfKnowledge: string;
}

/** SECRET. A guardian's DKG state between round 1 and round 3. */
export interface DkgSecretPackage extends FrostGroupParams {
  guardianIndex: number;
  /** `threshold` scalars (32 bytes): the guardian's secret polynomial. */
  coefficients: string[];
  /** The same commitments as the guardian's round-1 broadcast. */
  commitments: string[];
}

/** SECRET. DKG round 2 share from `sender` to `recipient`; sent encrypted end to end. */
export interface DkgRound2Package {
  sender: number;
  recipient: number;
  /** 32-byte scalar: the sender's polynomial evaluated at the recipient's index. */
  signingShare: string;
}

/** Public outcome of a DKG; every guardian and the server must derive the same one. */
export interface PublicKeyPackage extends FrostGroupParams {
  /**
   * 33-byte compressed group key after the BIP341 TapTweak with an empty merkle root.
   * Its Y parity may be odd; signing normalises it as BIP340 requires.
   */
  groupPublicKey: string;
  /** 32-byte BIP340 x-only key: what a plain Schnorr verifier (and a P2TR output) uses. */
  groupPublicKeyXOnly: string;
  /** Verifying share (33-byte compressed point) per guardian index, as decimal-string keys. */
  verifyingShares: Record<string, string>;
}

/** SECRET. A guardian's long-lived signing share. */
export interface KeyPackage extends FrostGroupParams {
  guardianIndex: number;
  /** 32-byte scalar. */
  signingShare: string;
  verifyingShare: string;
  groupPublicKey: string;
}

/** SECRET. Single-use signing nonces; discard after one `signShare`. */
export interface SigningNonces {
  hiding: string;
  binding: string;
}

/** Round 1 of signing: public nonce commitments (33-byte compressed points). */
export interface SigningCommitments {
  signer: number;
  hiding: string;
  binding: string;
}

/** What the coordinator publishes once the signer set is fixed. */
export interface SigningPackage {
  /** One entry per signer, threshold..participants entries, distinct signers. */
  commitments: SigningCommitments[];
  /** Message to sign, hex (the transaction digest). */
  message: string;
}

export interface SignatureShare {
  signer: number;
  /** 32-byte scalar. */
  share: string;
}
