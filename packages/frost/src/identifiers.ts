import { frostSuite } from "./ciphersuite";
import { FrostInputError } from "./errors";

/**
 * Guardians are numbered 1..n within a vault (their join order, fixed before keygen).
 * The FROST identifier of guardian i is the scalar i, serialised as 32 bytes big-endian
 * hex (RFC 9591 section 3.1 SerializeScalar; the same mapping frost-rs and @noble use
 * for `Identifier.fromNumber`). Wire formats carry the small integer; only this file
 * converts between the two.
 */
export const MAX_PARTICIPANTS = 255;

export function assertGuardianIndex(index: unknown, field: string, participants?: number): number {
  const max = participants ?? MAX_PARTICIPANTS;
  if (typeof index !== "number" || !Number.isInteger(index) || index < 1 || index > max) {
    throw new FrostInputError(field, "range", `expected a guardian index in 1..${max}`);
  }
  return index;
}

export function guardianIdentifier(index: number): string {
  return frostSuite.Identifier.fromNumber(assertGuardianIndex(index, "guardianIndex"));
}

export function guardianIndexOf(identifier: string): number {
  const index = Number.parseInt(identifier, 16);
  if (!Number.isSafeInteger(index) || guardianIdentifier(index) !== identifier) {
    throw new FrostInputError("identifier", "range", "not a guardian identifier");
  }
  return index;
}

/** Threshold rules shared by every step: 2 <= t <= n <= MAX_PARTICIPANTS. */
export function assertThreshold(threshold: unknown, participants: unknown): void {
  if (
    typeof participants !== "number" ||
    !Number.isInteger(participants) ||
    participants < 2 ||
    participants > MAX_PARTICIPANTS
  ) {
    throw new FrostInputError("participants", "range", `expected 2..${MAX_PARTICIPANTS}`);
  }
  if (
    typeof threshold !== "number" ||
    !Number.isInteger(threshold) ||
    threshold < 2 ||
    threshold > participants
  ) {
    throw new FrostInputError("threshold", "range", "expected 2 <= threshold <= participants");
  }
}
