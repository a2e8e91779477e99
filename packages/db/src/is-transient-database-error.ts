// P2028: a transaction could not start (maxWait) or finish (timeout) in time, which is
// queuing behind the audit-chain and event-log locks under load; P2034: a write
// conflict or deadlock. Both are contention, not faults. A raw query ($queryRaw, e.g. a
// SELECT ... FOR UPDATE row lock) hit by the same deadlock or serialization failure
// surfaces as P2010 instead, with the driver's own classification in its meta.
const transientCodes = new Set(["P2028", "P2034"]);
const transientDriverKinds = new Set(["TransactionWriteConflict"]);

interface KnownRequestErrorShape {
  code?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
}

/**
 * Whether the same call may well succeed a moment later. Checked by name and code, not
 * `instanceof`: the console holds more than one copy of the generated client.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  return transientDatabaseErrorKind(error) !== undefined;
}

/**
 * Which contention a transient error is, for the metrics: "timeout" (P2028, the
 * transaction could not start or finish in time) or "conflict" (a write conflict or
 * deadlock); undefined for any other error.
 */
export function transientDatabaseErrorKind(error: unknown): "timeout" | "conflict" | undefined {
  if (!(error instanceof Error) || error.name !== "PrismaClientKnownRequestError") return undefined;
  const { code, meta } = error as Error & KnownRequestErrorShape;
  if (typeof code !== "string") return undefined;
  if (transientCodes.has(code)) return code === "P2028" ? "timeout" : "conflict";
  const kind = meta?.driverAdapterError?.cause?.kind;
  return code === "P2010" && typeof kind === "string" && transientDriverKinds.has(kind)
    ? "conflict"
    : undefined;
}
