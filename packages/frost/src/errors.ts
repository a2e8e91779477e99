/**
 * Typed errors for the FROST wrappers. Messages name the offending field and the
 * rule it broke, never the value: inputs may be key shares or nonces.
 */
export type FrostInputReason =
  | "type"
  | "hex"
  | "length"
  | "range"
  | "not-on-curve"
  | "identity"
  | "duplicate"
  | "missing"
  | "unexpected"
  | "count"
  | "proof-of-knowledge";

export class FrostInputError extends Error {
  override readonly name = "FrostInputError";
  readonly field: string;
  readonly reason: FrostInputReason;

  constructor(field: string, reason: FrostInputReason, detail: string) {
    super(`${field}: ${detail}`);
    this.field = field;
    this.reason = reason;
  }
}

/**
 * A protocol step failed after its inputs were well-formed (for example a DKG share
 * that does not match its sender's commitments). The library's own error is not
 * chained as `cause`, so nothing it may have included can reach a log.
 */
export class FrostProtocolError extends Error {
  override readonly name = "FrostProtocolError";
  readonly step: string;
  /** Guardian index whose contribution was shown to be invalid, when one can be named. */
  readonly culprit: number | undefined;

  constructor(step: string, detail: string, culprit?: number) {
    super(
      culprit === undefined ? `${step}: ${detail}` : `${step}: ${detail} (guardian ${culprit})`,
    );
    this.step = step;
    this.culprit = culprit;
  }
}

/** Aggregation failed; `invalidSigners` lists the guardian indexes whose share did not verify. */
export class FrostAggregationError extends Error {
  override readonly name = "FrostAggregationError";
  readonly invalidSigners: readonly number[];

  constructor(invalidSigners: readonly number[]) {
    super(
      invalidSigners.length > 0
        ? `aggregation failed: invalid signature share from guardian(s) ${invalidSigners.join(", ")}`
        : "aggregation failed",
    );
    this.invalidSigners = invalidSigners;
  }
}
