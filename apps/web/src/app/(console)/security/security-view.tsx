"use client";

import { useQuery } from "@tanstack/react-query";
import { DataTable } from "../../../components/data-table";
import { Pager, useCursorPages } from "../../../components/pager";
import { SecurityEventCells } from "../../../components/security-event-cells";
import { ErrorNote, formatRef, Loading } from "../../../components/ui";
import { useTRPC } from "../../../lib/trpc";

export function SecurityView() {
  const pages = useCursorPages();
  const before = pages.cursor;
  const trpc = useTRPC();
  const events = useQuery(
    trpc.console.securityEvents.list.queryOptions({ limit: 25, ...(before ? { before } : {}) }),
  );
  return (
    <section>
      <h1>Security events</h1>
      <ErrorNote error={events.error} />
      <Loading when={events.isPending && !events.error}>
        <DataTable headers={["Time", "Kind", "Severity", "IP", "Subject", "Details"]}>
          {events.data?.items.map((event) => (
            <tr key={event.id}>
              <SecurityEventCells event={event} />
              <td className="mono">{formatRef(event.subjectType, event.subjectId)}</td>
              <td className="mono details">{event.details}</td>
            </tr>
          ))}
        </DataTable>
        <Pager pages={pages} next={events.data?.nextBefore} />
      </Loading>
    </section>
  );
}
