import { schnorr } from "@noble/curves/secp256k1.js";
import { bytesToNumberBE } from "@noble/curves/utils.js";
import { FrostInputError } from "./errors";
import { encodeHex } from "./hex-codec";
import { decodePoint } from "./point-validation";
import { validateDkgRound1Package } from "./validate-dkg-round1";
import type { DkgRound1Package, FrostGroupParams, PublicKeyPackage } from "./wire-types";

const Point = schnorr.Point;
const Fn = Point.Fn;

/**
 * Derives the public outcome of a DKG from the n round-1 packages alone, the way the
 * server does before activating a vault: every guardian's reported public key package
 * must equal this one.
 *
 * Group commitment C_k = sum over senders of their k-th commitment; verifying share of
 * guardian i = sum_k C_k * i^k. Then, as @noble/curves' schnorr_FROST (and frost-rs
 * secp256k1-tr) do for DKG output, the key is made even-Y (negating every point if
 * needed) and tweaked per BIP341 with an empty merkle root:
 * t = TaggedHash("TapTweak", x(P)), Q = P + t*G, and each verifying share gains t*G.
 */
export function derivePublicKeyPackage(
  round1Packages: readonly DkgRound1Package[],
  params: FrostGroupParams,
): PublicKeyPackage {
  const { threshold, participants } = params;
  if (round1Packages.length !== participants) {
    throw new FrostInputError("round1Packages", "count", "expected one package per guardian");
  }
  const senders = new Set<number>();
  const summed: InstanceType<typeof Point>[] = Array.from({ length: threshold }, () => Point.ZERO);
  for (const [i, pkg] of round1Packages.entries()) {
    validateDkgRound1Package(pkg, params, `round1Packages.${i}`);
    if (senders.has(pkg.sender)) {
      throw new FrostInputError(`round1Packages.${i}.sender`, "duplicate", "sender listed twice");
    }
    senders.add(pkg.sender);
    for (const [k, c] of pkg.commitments.entries()) {
      summed[k] = (summed[k] ?? Point.ZERO).add(
        decodePoint(c, `round1Packages.${i}.commitments.${k}`),
      );
    }
  }
  const untweaked = summed[0] ?? Point.ZERO;
  if (untweaked.is0())
    throw new FrostInputError("round1Packages", "identity", "group key is the identity");
  const negate = (untweaked.y & 1n) === 1n;
  const commitments = negate ? summed.map((c) => c.negate()) : summed;
  const evenKey = commitments[0] ?? Point.ZERO;
  const tweak = bytesToNumberBE(
    schnorr.utils.taggedHash("TapTweak", schnorr.utils.pointToBytes(evenKey)),
  );
  if (tweak >= Fn.ORDER)
    throw new FrostInputError("round1Packages", "range", "TapTweak out of range");
  const tweakPoint = Point.BASE.multiply(tweak);
  const groupKey = evenKey.add(tweakPoint);

  const verifyingShares: Record<string, string> = {};
  for (let index = 1; index <= participants; index++) {
    let share = Point.ZERO;
    let power = 1n;
    for (const c of commitments) {
      share = share.add(c.multiplyUnsafe(power));
      power = Fn.mul(power, BigInt(index));
    }
    verifyingShares[String(index)] = encodeHex(share.add(tweakPoint).toBytes());
  }
  return {
    threshold,
    participants,
    groupPublicKey: encodeHex(groupKey.toBytes()),
    groupPublicKeyXOnly: encodeHex(schnorr.utils.pointToBytes(groupKey)),
    verifyingShares,
  };
}

/** True when two public key packages describe the same group (field by field). */
export function samePublicKeyPackage(a: PublicKeyPackage, b: PublicKeyPackage): boolean {
  if (
    a.threshold !== b.threshold ||
    a.participants !== b.participants ||
    a.groupPublicKey !== b.groupPublicKey ||
    a.groupPublicKeyXOnly !== b.groupPublicKeyXOnly
  ) {
    return false;
  }
  const keysA = Object.keys(a.verifyingShares).sort();
  const keysB = Object.keys(b.verifyingShares).sort();
  if (keysA.join(",") !== keysB.join(",")) return false;
  return keysA.every((k) => a.verifyingShares[k] === b.verifyingShares[k]);
}
