import { createHash } from "node:crypto";

const TAG = "conclave/psbt-approval/v1";

/**
 * One value naming everything a PSBT's guardians approve: SHA-256 over a domain tag and
 * the per-input sighashes in order. It identifies the transaction in lists and events;
 * what is signed are the sighashes themselves.
 */
export function psbtApprovalDigest(sighashes: readonly string[]): string {
  const hash = createHash("sha256").update(TAG, "utf8");
  for (const sighash of sighashes) hash.update(Buffer.from(sighash, "hex"));
  return hash.digest("hex");
}
