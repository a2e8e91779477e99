"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNote, formatTime, Loading } from "../../../components/ui";
import { trpc } from "../../../lib/trpc";

export function SecurityView() {
  const [pages, setPages] = useState<string[]>([]);
  const before = pages[pages.length - 1];
  const events = useQuery({
    queryKey: ["security-events", before],
    queryFn: () =>
      trpc.console.securityEvents.list.query({ limit: 25, ...(before ? { before } : {}) }),
  });
  return (
    <section>
      <h1>Security events</h1>
      <ErrorNote error={events.error} />
      <Loading when={events.isPending && !events.error}>
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Kind</th>
              <th>Severity</th>
              <th>IP</th>
              <th>Subject</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {events.data?.items.map((event) => (
              <tr key={event.id}>
                <td>{formatTime(event.at)}</td>
                <td>{event.kind}</td>
                <td>
                  <span className={`badge severity-${event.severity.toLowerCase()}`}>
                    {event.severity}
                  </span>
                </td>
                <td>{event.ip ?? "—"}</td>
                <td className="mono">
                  {event.subjectType
                    ? `${event.subjectType}:${(event.subjectId ?? "").slice(0, 8)}`
                    : "—"}
                </td>
                <td className="mono details">{event.details}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <button
            type="button"
            className="secondary"
            disabled={pages.length === 0}
            onClick={() => {
              setPages(pages.slice(0, -1));
            }}
          >
            Newer
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!events.data?.nextBefore}
            onClick={() => {
              const next = events.data?.nextBefore;
              if (next) setPages([...pages, next]);
            }}
          >
            Older
          </button>
        </div>
      </Loading>
    </section>
  );
}
