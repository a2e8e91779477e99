export type CheckStatus = "pass" | "warn" | "fail";

/** One line of `conclave doctor`: a checklist item, its verdict and why. */
export interface CheckResult {
  readonly item: string;
  readonly status: CheckStatus;
  /** Names variables, files and counts; never a secret's value. */
  readonly reason: string;
}

export const pass = (item: string, reason: string): CheckResult => ({
  item,
  status: "pass",
  reason,
});
export const warn = (item: string, reason: string): CheckResult => ({
  item,
  status: "warn",
  reason,
});
export const fail = (item: string, reason: string): CheckResult => ({
  item,
  status: "fail",
  reason,
});
