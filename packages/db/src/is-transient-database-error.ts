// P2028: a transaction could not start (maxWait) or finish (timeout) in time, which is
// queuing behind the audit-chain and event-log locks under load; P2034: a write
// conflict or deadlock. Both are contention, not faults.
const transientCodes = new Set(["P2028", "P2034"]);

/**
 * Whether the same call may well succeed a moment later. Checked by name and code, not
 * `instanceof`: the console holds more than one copy of the generated client.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== "PrismaClientKnownRequestError") return false;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === "string" && transientCodes.has(code);
}
