"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { DangerButton } from "../../../components/danger-button";
import { DataTable } from "../../../components/data-table";
import { ErrorNote, formatTime, Loading } from "../../../components/ui";
import { trpc } from "../../../lib/trpc";

export function SessionsView() {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ["my-sessions"],
    queryFn: () => trpc.sessions.list.query(),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["my-sessions"] });
  const revoke = useMutation({
    mutationFn: (sessionId: string) => trpc.sessions.revoke.mutate({ sessionId }),
    onSuccess: refresh,
  });
  const revokeOthers = useMutation({
    mutationFn: () => trpc.sessions.revokeOthers.mutate(),
    onSuccess: refresh,
  });
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
                      revoke.mutate(session.id);
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
