"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "../../../components/badge";
import { DataTable } from "../../../components/data-table";
import { Pager, useCursorPages } from "../../../components/pager";
import { ErrorNote, formatTime, Loading } from "../../../components/ui";
import { trpc } from "../../../lib/trpc";

export function SecurityView() {
  const pages = useCursorPages();
  const before = pages.cursor;
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
        <DataTable headers={["Time", "Kind", "Severity", "IP", "Subject", "Details"]}>
          {events.data?.items.map((event) => (
            <tr key={event.id}>
              <td>{formatTime(event.at)}</td>
              <td>{event.kind}</td>
              <td>
                <Badge family="severity" value={event.severity} />
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
        </DataTable>
        <Pager pages={pages} next={events.data?.nextBefore} />
      </Loading>
    </section>
  );
}
