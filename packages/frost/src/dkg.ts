import type { DKG_Round1, DKG_Round2, DKG_Secret } from "@noble/curves/abstract/frost.js";
import { schnorr } from "@noble/curves/secp256k1.js";
import { frostSuite, POINT_BYTES, PROOF_OF_KNOWLEDGE_BYTES, SCALAR_BYTES } from "./ciphersuite";
import { FrostInputError, FrostProtocolError } from "./errors";
import { decodeHex, encodeHex } from "./hex-codec";
import {
  assertGuardianIndex,
  assertThreshold,
  guardianIdentifier,
  guardianIndexOf,
} from "./identifiers";
import { decodePoint, decodeScalar } from "./point-validation";
import { validateDkgRound1Package } from "./validate-dkg-round1";
import type {
  DkgRound1Package,
  DkgRound2Package,
  DkgSecretPackage,
  FrostGroupParams,
  KeyPackage,
  PublicKeyPackage,
} from "./wire-types";

export interface DkgRound1Input extends FrostGroupParams {
  guardianIndex: number;
}

export interface DkgRound1Output {
  /** SECRET: keep (encrypted) until round 3. */
  secretPackage: DkgSecretPackage;
  /** Broadcast through the server. */
  publicPackage: DkgRound1Package;
}

/** Round 1: sample a secret polynomial, commit to it and prove knowledge of its constant term. */
export function dkgRound1(input: DkgRound1Input): DkgRound1Output {
  assertThreshold(input.threshold, input.participants);
  const index = assertGuardianIndex(input.guardianIndex, "guardianIndex", input.participants);
  const { public: pub, secret } = frostSuite.DKG.round1(guardianIdentifier(index), {
    min: input.threshold,
    max: input.participants,
  });
  const coefficients = (secret.coefficients ?? []).map((c) =>
    encodeHex(schnorr.Point.Fn.toBytes(c)),
  );
  frostSuite.DKG.clean(secret);
  const commitments = pub.commitment.map(encodeHex);
  return {
    secretPackage: {
      guardianIndex: index,
      threshold: input.threshold,
      participants: input.participants,
      coefficients,
      commitments,
    },
    publicPackage: {
      sender: index,
      commitments,
      proofOfKnowledge: encodeHex(pub.proofOfKnowledge),
    },
  };
}

/**
 * Round 2: after checking every other guardian's round-1 package, compute one secret
 * share per recipient. The result must be encrypted to each recipient before it leaves
 * the device.
 */
export function dkgRound2(
  secretPackage: DkgSecretPackage,
  round1Packages: readonly DkgRound1Package[],
): DkgRound2Package[] {
  const { secret, others } = prepare(secretPackage, round1Packages);
  const out = run("dkg round 2", () => frostSuite.DKG.round2(secret, others));
  return Object.entries(out).map(([identifier, pkg]) => ({
    sender: secretPackage.guardianIndex,
    recipient: guardianIndexOf(identifier),
    signingShare: encodeHex(pkg.signingShare),
  }));
}

export interface DkgRound3Output {
  /** SECRET: the guardian's long-lived share. */
  keyPackage: KeyPackage;
  /** Reported to the server, which compares it with its own derivation. */
  publicKeyPackage: PublicKeyPackage;
}

/**
 * Round 3: verify each received share against its sender's round-1 commitments and
 * combine them into this guardian's signing share and the group key.
 */
export function dkgRound3(
  secretPackage: DkgSecretPackage,
  round1Packages: readonly DkgRound1Package[],
  round2Packages: readonly DkgRound2Package[],
): DkgRound3Output {
  const { secret, others } = prepare(secretPackage, round1Packages);
  const me = secretPackage.guardianIndex;
  const expectedSenders = new Set(round1Packages.map((p) => p.sender));
  if (round2Packages.length !== expectedSenders.size) {
    throw new FrostInputError(
      "round2Packages",
      "count",
      "expected one package from every other guardian",
    );
  }
  const received: DKG_Round2[] = [];
  const seen = new Set<number>();
  for (const [i, p] of round2Packages.entries()) {
    const field = `round2Packages.${i}`;
    if (p.recipient !== me)
      throw new FrostInputError(
        `${field}.recipient`,
        "unexpected",
        "addressed to another guardian",
      );
    const sender = assertGuardianIndex(p.sender, `${field}.sender`, secretPackage.participants);
    if (!expectedSenders.has(sender))
      throw new FrostInputError(
        `${field}.sender`,
        "unexpected",
        "no round-1 package from this sender",
      );
    if (seen.has(sender))
      throw new FrostInputError(`${field}.sender`, "duplicate", "sender listed twice");
    seen.add(sender);
    const share = decodeScalar(p.signingShare, `${field}.signingShare`);
    const senderPackage = round1Packages.find((r) => r.sender === sender);
    if (
      senderPackage === undefined ||
      !shareMatchesCommitments(share, me, senderPackage.commitments)
    ) {
      throw new FrostProtocolError(
        "dkg round 3",
        "secret share does not match the sender's commitments",
        sender,
      );
    }
    received.push({
      identifier: guardianIdentifier(sender),
      signingShare: decodeHex(p.signingShare, SCALAR_BYTES, `${field}.signingShare`),
    } as DKG_Round2);
  }
  // Round 2 is deterministic given the coefficients; re-running it rebuilds the
  // library's authenticated round-1 transcript, so the secret package can be stored
  // between rounds without serialising library internals.
  run("dkg round 2", () => frostSuite.DKG.round2(secret, others));
  const key = run("dkg round 3", () => frostSuite.DKG.round3(secret, others, received));
  frostSuite.DKG.clean(secret);
  const groupKey = schnorr.Point.fromBytes(key.public.commitments[0] ?? new Uint8Array());
  const verifyingShares: Record<string, string> = {};
  for (const [identifier, share] of Object.entries(key.public.verifyingShares)) {
    verifyingShares[String(guardianIndexOf(identifier))] = encodeHex(share);
  }
  const publicKeyPackage: PublicKeyPackage = {
    threshold: secretPackage.threshold,
    participants: secretPackage.participants,
    groupPublicKey: encodeHex(groupKey.toBytes()),
    groupPublicKeyXOnly: encodeHex(schnorr.utils.pointToBytes(groupKey)),
    verifyingShares,
  };
  const verifyingShare = verifyingShares[String(me)];
  if (verifyingShare === undefined)
    throw new FrostProtocolError("dkg round 3", "own verifying share missing");
  return {
    keyPackage: {
      guardianIndex: me,
      threshold: secretPackage.threshold,
      participants: secretPackage.participants,
      signingShare: encodeHex(key.secret.signingShare),
      verifyingShare,
      groupPublicKey: publicKeyPackage.groupPublicKey,
    },
    publicKeyPackage,
  };
}

function prepare(
  secretPackage: DkgSecretPackage,
  round1Packages: readonly DkgRound1Package[],
): { secret: DKG_Secret; others: DKG_Round1[] } {
  const { threshold, participants, guardianIndex } = secretPackage;
  assertThreshold(threshold, participants);
  const me = assertGuardianIndex(guardianIndex, "secretPackage.guardianIndex", participants);
  if (
    secretPackage.coefficients.length !== threshold ||
    secretPackage.commitments.length !== threshold
  ) {
    throw new FrostInputError(
      "secretPackage",
      "count",
      "expected threshold coefficients and commitments",
    );
  }
  const coefficients = secretPackage.coefficients.map((c, i) =>
    decodeScalar(c, `secretPackage.coefficients.${i}`),
  );
  const commitments = secretPackage.commitments.map((c, i) =>
    decodePoint(c, `secretPackage.commitments.${i}`),
  );
  for (const [i, c] of coefficients.entries()) {
    if (!schnorr.Point.BASE.multiply(c).equals(commitments[i] ?? schnorr.Point.ZERO)) {
      throw new FrostInputError(
        "secretPackage",
        "unexpected",
        "commitments do not match coefficients",
      );
    }
  }
  if (round1Packages.length !== participants - 1) {
    throw new FrostInputError(
      "round1Packages",
      "count",
      "expected one package from every other guardian",
    );
  }
  const seen = new Set<number>();
  const others = round1Packages.map((p, i): DKG_Round1 => {
    validateDkgRound1Package(p, { threshold, participants }, `round1Packages.${i}`);
    if (p.sender === me)
      throw new FrostInputError(`round1Packages.${i}.sender`, "unexpected", "own package included");
    if (seen.has(p.sender))
      throw new FrostInputError(`round1Packages.${i}.sender`, "duplicate", "sender listed twice");
    seen.add(p.sender);
    return {
      identifier: guardianIdentifier(p.sender),
      commitment: p.commitments.map((c, j) =>
        decodeHex(c, POINT_BYTES, `round1Packages.${i}.commitments.${j}`),
      ),
      proofOfKnowledge: decodeHex(
        p.proofOfKnowledge,
        PROOF_OF_KNOWLEDGE_BYTES,
        `round1Packages.${i}.proofOfKnowledge`,
      ),
    } as DKG_Round1;
  });
  const secret: DKG_Secret = {
    identifier: BigInt(me),
    coefficients,
    commitment: commitments.map((c) => c.toBytes()),
    signers: { min: threshold, max: participants },
    step: 1,
  };
  return { secret, others };
}

/** Feldman VSS check (RFC 9591 appendix C.2 vss_verify): share*G == sum_k C_k * index^k. */
function shareMatchesCommitments(
  share: bigint,
  index: number,
  commitments: readonly string[],
): boolean {
  let expected = schnorr.Point.ZERO;
  let power = 1n;
  for (const [k, c] of commitments.entries()) {
    expected = expected.add(decodePoint(c, `commitments.${k}`).multiplyUnsafe(power));
    power = schnorr.Point.Fn.mul(power, BigInt(index));
  }
  return schnorr.Point.BASE.multiply(share).equals(expected);
}

function run<T>(step: string, fn: () => T): T {
  try {
    return fn();
  } catch {
    throw new FrostProtocolError(
      step,
      "rejected by the FROST library (share or commitment mismatch)",
    );
  }
}
