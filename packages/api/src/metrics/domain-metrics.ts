import type { ApiMetrics, CeremonyOutcome } from "./create-api-metrics";

// Audit rows and security events are written from many services through a database
// handle, not through `deps`, and the console's Next bundle carries its own copies of
// these modules (console-runtime.ts shares its runtime through globalThis for the same
// reason). So the write paths reach the process's metrics through one globalThis slot,
// filled by the composition root; with none installed (unit tests) nothing is counted.
const slot = Symbol.for("conclave.processApiMetrics");
type Holder = typeof globalThis & { [slot]?: ApiMetrics };

export function installDomainMetrics(metrics: ApiMetrics): void {
  (globalThis as Holder)[slot] = metrics;
}

function installed(): ApiMetrics | undefined {
  return (globalThis as Holder)[slot];
}

// Ceremony transitions are counted from the audit row each one writes, inside its
// transaction: one place for keygen, signing and the deadline sweeper alike.
const ceremonyOfAction: Readonly<
  Record<string, readonly ["keygenCeremonies" | "signingCeremonies", CeremonyOutcome]>
> = {
  "keygen.start": ["keygenCeremonies", "started"],
  "vault.activate": ["keygenCeremonies", "completed"],
  "keygen.fail": ["keygenCeremonies", "failed"],
  "keygen.expire": ["keygenCeremonies", "expired"],
  "transaction.create": ["signingCeremonies", "started"],
  "transaction.complete": ["signingCeremonies", "completed"],
  "transaction.fail": ["signingCeremonies", "failed"],
  "transaction.expire": ["signingCeremonies", "expired"],
  "transaction.cancel": ["signingCeremonies", "cancelled"],
};

export function countAuditAction(action: string): void {
  const metrics = installed();
  if (metrics === undefined) return;
  if (action === "signing.cheater") metrics.shareVerificationFailures.inc();
  const ceremony = ceremonyOfAction[action];
  if (ceremony !== undefined) metrics[ceremony[0]].inc({ outcome: ceremony[1] });
}

// Security events that are one failed authentication each (denied tokens are counted by
// denyAuthentication instead: their events are aggregated per address).
const authFailureOfEvent: Readonly<Record<string, string>> = {
  "guardian.login_failed": "guardian_login",
  "console.login_failed": "console_login",
  "console.reauthentication_failed": "console_reauthentication",
  refresh_denied: "refresh",
  refresh_token_reuse: "refresh_token_reuse",
  guardian_join_denied: "join",
  "guardian.join_takeover_attempt": "join_takeover",
  api_key_denied: "api_key",
};

export function countSecurityEvent(kind: string, severity: string): void {
  const metrics = installed();
  if (metrics === undefined) return;
  metrics.securityEvents.inc({ kind: metrics.label.kind(kind), severity });
  const authFailure = authFailureOfEvent[kind];
  if (authFailure !== undefined) metrics.authFailures.inc({ kind: authFailure });
}

export function observeSigningDuration(createdAt: Date, completedAt: Date): void {
  installed()?.signingDuration.observe((completedAt.getTime() - createdAt.getTime()) / 1000);
}
