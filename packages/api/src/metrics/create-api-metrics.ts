import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { createAbuseConfig } from "../abuse/abuse-config";
import { createLabelGuard, type LabelGuard } from "./bounded-label";

// Every metric the API records, built once per process on its registry (the composition
// root's). Labels are bounded sets only: door, procedure path, outcome code, limit,
// event kind, close code. Never an id, an address, an e-mail or user text.

export type CeremonyOutcome = "started" | "completed" | "failed" | "expired" | "cancelled";

export type ApiMetrics = {
  readonly registry: Registry;
  readonly requests: Counter<"door" | "path" | "code">;
  readonly requestDuration: Histogram<"door" | "path">;
  readonly websocketsOpen: Gauge;
  readonly websocketsOpened: Counter;
  readonly websocketsClosed: Counter<"code">;
  readonly authFailures: Counter<"kind">;
  readonly rateLimitRefusals: Counter<"limit" | "reason">;
  readonly securityEvents: Counter<"kind" | "severity">;
  readonly keygenCeremonies: Counter<"outcome">;
  readonly signingCeremonies: Counter<"outcome">;
  readonly signingDuration: Histogram;
  readonly shareVerificationFailures: Counter;
  readonly databaseTransactionFailures: Counter<"kind">;
  readonly auditChainVerifications: Counter<"result">;
  readonly auditChainLastSuccess: Gauge;
  /** Guards for labels whose values are open-ended strings in code (paths, kinds). */
  readonly label: { readonly path: LabelGuard; readonly kind: LabelGuard };
};

// Procedure calls: most finish in milliseconds; the 30 s request timeout bounds the top.
const requestBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// A ceremony waits for people: seconds to the 24 h transaction deadline.
const signingBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 21_600, 86_400];

export function createApiMetrics(registry: Registry): ApiMetrics {
  const registers = [registry];
  const metrics: ApiMetrics = {
    registry,
    requests: new Counter({
      name: "conclave_requests_total",
      help: "Procedure calls by front door (console-https, guardian-https, guardian-wss), procedure path and outcome code (OK or the tRPC error code).",
      labelNames: ["door", "path", "code"] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: "conclave_request_duration_seconds",
      help: "Procedure call latency by front door and procedure path.",
      labelNames: ["door", "path"] as const,
      buckets: requestBuckets,
      registers,
    }),
    websocketsOpen: new Gauge({
      name: "conclave_websockets_open",
      help: "Guardian WebSockets open now on this process.",
      registers,
    }),
    websocketsOpened: new Counter({
      name: "conclave_websockets_opened_total",
      help: "Guardian WebSockets opened.",
      registers,
    }),
    websocketsClosed: new Counter({
      name: "conclave_websockets_closed_total",
      help: "Guardian WebSockets closed, by close code (4401 token expired, 4403 session gone, 4408 authentication timeout, 4429 too many).",
      labelNames: ["code"] as const,
      registers,
    }),
    authFailures: new Counter({
      name: "conclave_auth_failures_total",
      help: "Failed authentications by kind (guardian_login, console_login, refresh, refresh_token_reuse, join, api_key, forged_token, ...).",
      labelNames: ["kind"] as const,
      registers,
    }),
    rateLimitRefusals: new Counter({
      name: "conclave_rate_limit_refusals_total",
      help: "Refused calls and sockets by limit and reason (rate_limited, backoff, banned, unavailable = the limit failed closed).",
      labelNames: ["limit", "reason"] as const,
      registers,
    }),
    securityEvents: new Counter({
      name: "conclave_security_events_total",
      help: "Security events recorded by this process, by kind and severity.",
      labelNames: ["kind", "severity"] as const,
      registers,
    }),
    keygenCeremonies: new Counter({
      name: "conclave_keygen_ceremonies_total",
      help: "DKG ceremony attempts by outcome (started, completed, failed, expired).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    signingCeremonies: new Counter({
      name: "conclave_signing_ceremonies_total",
      help: "Signing ceremonies (transactions) by outcome (started, completed, failed, expired, cancelled).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    signingDuration: new Histogram({
      name: "conclave_signing_duration_seconds",
      help: "Time from a transaction's creation to its completed signature.",
      buckets: signingBuckets,
      registers,
    }),
    shareVerificationFailures: new Counter({
      name: "conclave_share_verification_failures_total",
      help: "Signature shares that failed verification (the sender is named a cheater and excluded).",
      registers,
    }),
    databaseTransactionFailures: new Counter({
      name: "conclave_db_transaction_failures_total",
      help: "Database transactions that could not start or finish in time (timeout) or lost a write conflict or deadlock (conflict); the caller got 503 and may retry.",
      labelNames: ["kind"] as const,
      registers,
    }),
    auditChainVerifications: new Counter({
      name: "conclave_audit_chain_verifications_total",
      help: "Full audit chain verifications by result (ok, broken, error).",
      labelNames: ["result"] as const,
      registers,
    }),
    auditChainLastSuccess: new Gauge({
      name: "conclave_audit_chain_last_verification_success_timestamp_seconds",
      help: "Unix time of the last audit chain verification that found the chain intact.",
      registers,
    }),
    label: { path: createLabelGuard(256), kind: createLabelGuard(128) },
  };
  exportKnownSeriesAtZero(metrics);
  return metrics;
}

// A series that first appears already at 10 shows no increase() to Prometheus, so a
// burst right after a start would not alert: the series the alert rules
// (deploy/prometheus) watch exist from the start, at 0.
const authFailureKinds = [
  "guardian_login",
  "console_login",
  "console_reauthentication",
  "refresh",
  "refresh_token_reuse",
  "join",
  "join_takeover",
  "api_key",
  "token",
  "socket_authentication_timeout",
];
const ceremonyOutcomes: CeremonyOutcome[] = [
  "started",
  "completed",
  "failed",
  "expired",
  "cancelled",
];

function exportKnownSeriesAtZero(metrics: ApiMetrics): void {
  for (const kind of authFailureKinds) metrics.authFailures.inc({ kind }, 0);
  for (const limit of [...Object.keys(createAbuseConfig().limits), "guardianSockets"]) {
    for (const reason of ["rate_limited", "unavailable"])
      metrics.rateLimitRefusals.inc({ limit, reason }, 0);
  }
  for (const outcome of ceremonyOutcomes) {
    if (outcome !== "cancelled") metrics.keygenCeremonies.inc({ outcome }, 0);
    metrics.signingCeremonies.inc({ outcome }, 0);
  }
  metrics.securityEvents.inc({ kind: "ip.banned", severity: "WARN" }, 0);
  for (const kind of ["timeout", "conflict"]) metrics.databaseTransactionFailures.inc({ kind }, 0);
  for (const result of ["ok", "broken", "error"])
    metrics.auditChainVerifications.inc({ result }, 0);
}
