"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { DataTable } from "../../../components/data-table";
import { SecurityEventCells } from "../../../components/security-event-cells";
import { ErrorNote, Loading } from "../../../components/ui";
import { useTRPC } from "../../../lib/trpc";

/** Sixty bars, one a minute, scaled to `max`; a null minute draws no bar. */
function MinuteBars({
  values,
  max,
  label,
  barClassName,
}: {
  values: readonly (number | null)[];
  max: number;
  label: string;
  barClassName: string;
}) {
  return (
    <svg
      className="chart"
      preserveAspectRatio="none"
      viewBox="0 0 120 40"
      role="img"
      aria-label={label}
    >
      {values.map((value, index) => {
        if (value === null) return null;
        const height = (value / max) * 36;
        return (
          <rect
            key={index}
            x={index * 2}
            y={38 - height}
            width="1.6"
            height={height}
            className={barClassName}
          />
        );
      })}
      <line x1="0" y1="38" x2="120" y2="38" className="axis" />
    </svg>
  );
}

function FailedLoginChart({ perMinute }: { perMinute: number[] }) {
  return (
    <MinuteBars
      values={perMinute}
      max={Math.max(1, ...perMinute)}
      label="Failed logins per minute, last hour"
      barClassName="bar"
    />
  );
}

function LatencyChart({ perMinute }: { perMinute: (number | null)[] }) {
  const max = Math.max(1, ...perMinute.map((value) => value ?? 0));
  const samples = perMinute.filter((value) => value !== null);
  return (
    <>
      <MinuteBars
        values={perMinute}
        max={max}
        label="Mean signing latency per minute, last hour"
        barClassName="bar latency"
      />
      <p className="muted">
        {samples.length === 0
          ? "No transactions were signed in the last hour."
          : `Peak ${String(max)} s; proposal to final signature, averaged per minute.`}
      </p>
    </>
  );
}

function MetricCard({
  metric,
  label,
  children,
}: {
  metric: number;
  label: string;
  children?: ReactNode;
}) {
  return (
    <div className="card">
      <span className="metric">{metric}</span>
      <span className="label">{label}</span>
      {children}
    </div>
  );
}

export function DashboardView() {
  const trpc = useTRPC();
  const summary = useQuery(trpc.console.dashboard.queryOptions());
  const data = summary.data;
  return (
    <section>
      <h1>Dashboard</h1>
      <ErrorNote error={summary.error} />
      <Loading when={summary.isPending && !summary.error}>
        {data && (
          <>
            <div className="cards">
              <MetricCard
                metric={data.vaultsByStatus.reduce((sum, row) => sum + row.count, 0)}
                label="vaults"
              >
                <span className="muted">
                  {data.vaultsByStatus
                    .map((row) => `${row.status.toLowerCase()} ${row.count}`)
                    .join(" · ")}
                </span>
              </MetricCard>
              <MetricCard metric={data.guardians} label="guardians" />
              <MetricCard metric={data.liveSessions} label="live sessions" />
              <MetricCard metric={data.openInvitations} label="open invitations" />
              <MetricCard metric={data.failedLoginsLastHour} label="failed logins (last hour)" />
            </div>
            <h2>Failed logins per minute (last hour)</h2>
            <FailedLoginChart perMinute={data.failedLoginsPerMinute} />
            <h2>Signing latency (last hour)</h2>
            <LatencyChart perMinute={data.signingLatencyPerMinute} />
            <h2>Recent security events</h2>
            <DataTable headers={["Time", "Kind", "Severity", "IP"]}>
              {data.recentSecurityEvents.map((event) => (
                <tr key={event.id}>
                  <SecurityEventCells event={event} />
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </Loading>
    </section>
  );
}
