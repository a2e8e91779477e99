"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCanWrite } from "../../../components/console-user";
import { DangerButton } from "../../../components/danger-button";
import { DataTable } from "../../../components/data-table";
import { ErrorNote, formatTime, Loading } from "../../../components/ui";
import { useTRPC } from "../../../lib/trpc";

function GuardianSessions({ guardianId }: { guardianId: string }) {
  const canWrite = useCanWrite();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessionsOfGuardian = trpc.admin.sessions.listForSubject.queryOptions({
    subjectType: "GUARDIAN",
    subjectId: guardianId,
  });
  const sessions = useQuery(sessionsOfGuardian);
  const revoke = useMutation(
    trpc.admin.sessions.revoke.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: sessionsOfGuardian.queryKey });
        void queryClient.invalidateQueries({ queryKey: trpc.console.guardians.list.pathKey() });
      },
    }),
  );
  const live = sessions.data?.filter((session) => session.revokedAt === null) ?? [];
  return (
    <div className="panel">
      <ErrorNote error={sessions.error ?? revoke.error} />
      <Loading when={sessions.isPending && !sessions.error}>
        <DataTable headers={["Device", "IP", "Started", "Last activity"]} actionColumn={canWrite}>
          {live.map((session) => (
            <tr key={session.id}>
              <td>{session.deviceName ?? "—"}</td>
              <td>{session.ip ?? "—"}</td>
              <td>{formatTime(session.createdAt)}</td>
              <td>{formatTime(session.lastActivityAt)}</td>
              {canWrite && (
                <td>
                  <DangerButton
                    onClick={() => {
                      revoke.mutate({ sessionId: session.id });
                    }}
                  >
                    Revoke
                  </DangerButton>
                </td>
              )}
            </tr>
          ))}
        </DataTable>
        {live.length === 0 && <p className="muted">No live sessions.</p>}
      </Loading>
    </div>
  );
}

export function GuardiansView() {
  const [open, setOpen] = useState<string | null>(null);
  const trpc = useTRPC();
  const guardians = useQuery(trpc.console.guardians.list.queryOptions());
  return (
    <section>
      <h1>Guardians</h1>
      <ErrorNote error={guardians.error} />
      <Loading when={guardians.isPending && !guardians.error}>
        <DataTable
          headers={["Name", "Status", "Identity key", "Vaults", "Live sessions"]}
          actionColumn
        >
          {guardians.data?.map((guardian) => (
            <tr key={guardian.id}>
              <td>{guardian.displayName}</td>
              <td>{guardian.status}</td>
              <td className="mono">{guardian.identityPublicKey.slice(0, 16)}…</td>
              <td>
                {guardian.vaults.map((vault) => (
                  <Link key={vault.vaultId} href={`/vaults/${vault.vaultId}`} className="chip">
                    {vault.name}
                    {vault.guardianIndex === null ? "" : ` (#${String(vault.guardianIndex)})`}
                  </Link>
                ))}
              </td>
              <td>{guardian.liveSessions}</td>
              <td>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    setOpen(open === guardian.id ? null : guardian.id);
                  }}
                >
                  {open === guardian.id ? "Hide sessions" : "Sessions"}
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
        {guardians.data?.length === 0 && <p className="muted">No guardians have joined yet.</p>}
        {open !== null && <GuardianSessions guardianId={open} />}
      </Loading>
    </section>
  );
}
