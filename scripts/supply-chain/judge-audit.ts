// What `npm audit --json` means for a deployment gate: the advisory service may be
// unreachable (from these machines it answers 405), and a reviewed advisory may be
// allowed until its expiry date.

export type AllowedAdvisory = {
  /** The advisory's URL or GHSA id as npm audit reports it. */
  advisory: string;
  reason: string;
  /** YYYY-MM-DD; past it the advisory fails the gate again. */
  expires: string;
};

type Via = string | { url?: string; severity?: string; title?: string };
type AuditReport = {
  message?: string;
  statusCode?: number;
  vulnerabilities?: Record<string, { severity: string; via: Via[] }>;
};

export type AuditVerdict =
  | { kind: "unreachable"; detail: string }
  | { kind: "clean"; allowed: string[] }
  | { kind: "vulnerable"; findings: string[]; allowed: string[] };

const BLOCKING = new Set(["high", "critical"]);

export function judgeAudit(
  output: string,
  allowlist: readonly AllowedAdvisory[],
  today: string,
): AuditVerdict {
  let report: AuditReport;
  try {
    report = JSON.parse(output) as AuditReport;
  } catch {
    return { kind: "unreachable", detail: "npm audit printed no JSON report" };
  }
  if (report.vulnerabilities === undefined) {
    const status = report.statusCode === undefined ? "" : ` (HTTP ${String(report.statusCode)})`;
    return { kind: "unreachable", detail: `${report.message ?? "no report"}${status}` };
  }
  const live = allowlist.filter((entry) => entry.expires >= today).map((entry) => entry.advisory);
  const findings = new Set<string>();
  const allowed = new Set<string>();
  for (const [name, vulnerability] of Object.entries(report.vulnerabilities)) {
    if (!BLOCKING.has(vulnerability.severity)) continue;
    for (const via of vulnerability.via) {
      if (typeof via === "string") continue; // reached through another package, listed there
      const id = via.url ?? via.title ?? name;
      if (!BLOCKING.has(via.severity ?? vulnerability.severity)) continue;
      if (live.some((entry) => id.includes(entry))) allowed.add(id);
      else findings.add(`${name}: ${via.severity ?? vulnerability.severity} ${id}`);
    }
  }
  return findings.size === 0
    ? { kind: "clean", allowed: [...allowed] }
    : { kind: "vulnerable", findings: [...findings].sort(), allowed: [...allowed] };
}
