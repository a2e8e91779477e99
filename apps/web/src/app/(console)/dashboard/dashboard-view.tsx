"use client";

import { useQuery } from "@tanstack/react-query";
import { ErrorNote, formatTime, Loading } from "../../../components/ui";
import { trpc } from "../../../lib/trpc";

function FailedLoginChart({ perMinute }: { perMinute: number[] }) {
  const max = Math.max(1, ...perMinute);
  return (
    <svg
      className="chart"
      preserveAspectRatio="none"
      viewBox="0 0 120 40"
      role="img"
      aria-label="Failed logins per minute, last hour"
    >
      {perMinute.map((count, index) => {
        const height = (count / max) * 36;
        return (
          <rect
            key={index}
            x={index * 2}
            y={38 - height}
            width="1.6"
            height={height}
            className="bar"
          />
        );
      })}
      <line x1="0" y1="38" x2="120" y2="38" className="axis" />
    </svg>
  );
}

function LatencyChart({ perMinute }: { perMinute: (number | null)[] }) {
  const max = Math.max(1, ...perMinute.map((value) => value ?? 0));
  const samples = perMinute.filter((value) => value !== null);
  return (
    <>
      <svg
        className="chart"
        preserveAspectRatio="none"
        viewBox="0 0 120 40"
        role="img"
        aria-label="Mean signing latency per minute, last hour"
      >
        {perMinute.map((seconds, index) => {
          if (seconds === null) return null;
          const height = (seconds / max) * 36;
          return (
            <rect
              key={index}
              x={index * 2}
              y={38 - height}
              width="1.6"
              height={height}
              className="bar latency"
            />
          );
        })}
        <line x1="0" y1="38" x2="120" y2="38" className="axis" />
      </svg>
      <p className="muted">
        {samples.length === 0
          ? "No transactions were signed in the last hour."
          : `Peak ${String(max)} s; proposal to final signature, averaged per minute.`}
      </p>
    </>
  );
}

export function DashboardView() {
  const summary = useQuery({
    queryKey: ["dashboard"],
    queryFn: () => trpc.console.dashboard.query(),
  });
  const data = summary.data;
  return (
    <section>
      <h1>Dashboard</h1>
      <ErrorNote error={summary.error} />
      <Loading when={summary.isPending && !summary.error}>
        {data && (
          <>
            <div className="cards">
              <div className="card">
                <span className="metric">
                  {data.vaultsByStatus.reduce((sum, row) => sum + row.count, 0)}
                </span>
                <span className="label">vaults</span>
                <span className="muted">
                  {data.vaultsByStatus
                    .map((row) => `${row.status.toLowerCase()} ${row.count}`)
                    .join(" · ")}
                </span>
              </div>
              <div className="card">
                <span className="metric">{data.guardians}</span>
                <span className="label">guardians</span>
              </div>
              <div className="card">
                <span className="metric">{data.liveSessions}</span>
                <span className="label">live sessions</span>
              </div>
              <div className="card">
                <span className="metric">{data.openInvitations}</span>
                <span className="label">open invitations</span>
              </div>
              <div className="card">
                <span className="metric">{data.failedLoginsLastHour}</span>
                <span className="label">failed logins (last hour)</span>
              </div>
            </div>
            <h2>Failed logins per minute (last hour)</h2>
            <FailedLoginChart perMinute={data.failedLoginsPerMinute} />
            <h2>Signing latency (last hour)</h2>
            <LatencyChart perMinute={data.signingLatencyPerMinute} />
            <h2>Recent security events</h2>
            <table>
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Kind</th>
                  <th>Severity</th>
                  <th>IP</th>
                </tr>
              </thead>
              <tbody>
                {data.recentSecurityEvents.map((event) => (
                  <tr key={event.id}>
                    <td>{formatTime(event.at)}</td>
                    <td>{event.kind}</td>
                    <td>
                      <span className={`badge severity-${event.severity.toLowerCase()}`}>
                        {event.severity}
                      </span>
                    </td>
                    <td>{event.ip ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loading>
    </section>
  );
}
