"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { DangerButton } from "../../../components/danger-button";
import { DataTable } from "../../../components/data-table";
import { ErrorNote, formatTime, Loading } from "../../../components/ui";
import { useTRPC } from "../../../lib/trpc";

export function SessionsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.sessions.list.queryOptions());
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.sessions.list.pathKey() });
  const revoke = useMutation(trpc.sessions.revoke.mutationOptions({ onSuccess: refresh }));
  const revokeOthers = useMutation(
    trpc.sessions.revokeOthers.mutationOptions({ onSuccess: refresh }),
  );
  const live = sessions.data?.filter((session) => session.revokedAt === null) ?? [];
  return (
    <section>
      <h1>My sessions</h1>
      <p className="muted">
        At most 3 sessions stay live; each ends after 30 minutes without activity.
      </p>
      <DangerButton
        onClick={() => {
          revokeOthers.mutate();
        }}
        disabled={revokeOthers.isPending}
      >
        Sign out all other sessions
      </DangerButton>
      <ErrorNote error={sessions.error ?? revoke.error ?? revokeOthers.error} />
      <Loading when={sessions.isPending && !sessions.error}>
        <DataTable headers={["Started", "Last activity", "IP", "Browser"]} actionColumn>
          {live.map((session) => (
            <tr key={session.id} data-session-id={session.id}>
              <td>{formatTime(session.createdAt)}</td>
              <td>{formatTime(session.lastActivityAt)}</td>
              <td>{session.ip ?? "—"}</td>
              <td className="ua">{session.userAgent ?? "—"}</td>
              <td>
                {session.current ? (
                  <span className="badge">this session</span>
                ) : (
                  <DangerButton
                    onClick={() => {
                      revoke.mutate({ sessionId: session.id });
                    }}
                  >
                    Revoke
                  </DangerButton>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </Loading>
    </section>
  );
}
