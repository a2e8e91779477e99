"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCanWrite } from "../../../components/console-user";
import { DangerButton } from "../../../components/danger-button";
import { DataTable } from "../../../components/data-table";
import { ErrorNote, formatTime, Loading } from "../../../components/ui";
import { useTRPC } from "../../../lib/trpc";

// Viewers may read the list (securityEvent.read); lifting is ban.write, ADMIN only.
export function BansView() {
  const canWrite = useCanWrite();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [activeOnly, setActiveOnly] = useState(true);
  const bans = useQuery(trpc.admin.bans.list.queryOptions({ activeOnly, limit: 200 }));
  const lift = useMutation(
    trpc.admin.bans.lift.mutationOptions({
      onSuccess: () =>
        void queryClient.invalidateQueries({ queryKey: trpc.admin.bans.list.pathKey() }),
    }),
  );
  return (
    <section>
      <h1>IP bans</h1>
      <p className="muted">
        An address is banned after repeated failed sign-ins or credential checks; each further ban
        within 30 days lasts longer. Lifting a ban also forgets the address&apos;s failures.
      </p>
      <div className="inline-form">
        <label className="check">
          <input
            type="checkbox"
            checked={activeOnly}
            onChange={(event) => {
              setActiveOnly(event.target.checked);
            }}
          />
          Active bans only
        </label>
      </div>
      <ErrorNote error={bans.error ?? lift.error} />
      <Loading when={bans.isPending && !bans.error}>
        {bans.data?.length === 0 ? (
          <p className="muted">No bans.</p>
        ) : (
          <DataTable
            headers={["IP", "Reason", "Strike", "Banned", "Until", "Lifted"]}
            actionColumn={canWrite}
          >
            {bans.data?.map((ban) => (
              <tr key={ban.id} data-ban-ip={ban.ip}>
                <td className="mono">{ban.ip}</td>
                <td>{ban.reason}</td>
                <td>{ban.strikes}</td>
                <td>{formatTime(ban.createdAt)}</td>
                <td>{formatTime(ban.expiresAt)}</td>
                <td>
                  {ban.liftedAt ? `${formatTime(ban.liftedAt)} by ${ban.liftedBy ?? "—"}` : "—"}
                </td>
                {canWrite && (
                  <td>
                    {ban.liftedAt === null && new Date(ban.expiresAt) > new Date() && (
                      <DangerButton
                        disabled={lift.isPending}
                        onClick={() => {
                          lift.mutate({ ip: ban.ip });
                        }}
                      >
                        Lift
                      </DangerButton>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </DataTable>
        )}
      </Loading>
    </section>
  );
}
