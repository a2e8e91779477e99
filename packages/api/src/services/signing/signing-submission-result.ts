import type { SigningContext } from "./load-signing-context";

export type SigningSubmissionResult = {
  transactionId: string;
  attempt: number;
  /** True when the same content had already been accepted (idempotent resubmission). */
  duplicate: boolean;
  /** The signer set, once fixed for this attempt. */
  signers: number[];
  transactionStatus: "PENDING" | "SIGNING" | "COMPLETED" | "FAILED" | "EXPIRED" | "CANCELLED";
};

/** The answer about the attempt the caller named; `signers` as stored unless given. */
export function signingSubmissionResult(
  { transaction, attempt }: Pick<SigningContext, "transaction" | "attempt">,
  transactionStatus: SigningSubmissionResult["transactionStatus"],
  overrides: Partial<Pick<SigningSubmissionResult, "duplicate" | "signers">> = {},
): SigningSubmissionResult {
  return {
    transactionId: transaction.id,
    attempt: attempt.attempt,
    duplicate: false,
    signers: attempt.signerIndexes,
    transactionStatus,
    ...overrides,
  };
}
