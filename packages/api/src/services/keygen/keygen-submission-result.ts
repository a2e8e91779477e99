export type KeygenSubmissionResult = {
  ceremonyId: string;
  /** The ceremony's open round after this submission. */
  round: number;
  status: "OPEN" | "COMPLETED" | "FAILED" | "EXPIRED" | "CANCELLED";
  /** True when the same content had already been accepted (idempotent resubmission). */
  duplicate: boolean;
};
