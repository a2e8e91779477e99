"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCanWrite, useConsoleUser } from "../../../components/console-user";
import { DangerButton } from "../../../components/danger-button";
import { DataTable } from "../../../components/data-table";
import { SelectField } from "../../../components/select-field";
import { TextField } from "../../../components/text-field";
import {
  ErrorNote,
  FormErrorNote,
  formatTime,
  Loading,
  OneTimeSecret,
  submitWith,
} from "../../../components/ui";
import { fieldErrors } from "../../../lib/console-error";
import { useTRPC } from "../../../lib/trpc";

export function UsersView() {
  const canWrite = useCanWrite();
  const me = useConsoleUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"ADMIN" | "VIEWER">("VIEWER");
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const users = useQuery(trpc.admin.users.list.queryOptions());
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.pathKey() });
  const create = useMutation(
    trpc.admin.users.create.mutationOptions({
      onSuccess: (user) => {
        setCreated({ email: user.email, password: user.oneTimePassword });
        setEmail("");
        refresh();
      },
    }),
  );
  const disable = useMutation(trpc.admin.users.disable.mutationOptions({ onSuccess: refresh }));
  const errors = fieldErrors(create.error);
  return (
    <section>
      <h1>Users</h1>
      {created && (
        <OneTimeSecret
          title={`One-time password for ${created.email}.`}
          value={created.password}
          onDone={() => {
            setCreated(null);
          }}
        />
      )}
      {canWrite && (
        <form
          className="panel"
          aria-label="Create user"
          onSubmit={submitWith(() => {
            create.mutate({ email, role });
          })}
        >
          <h2>Add a console user</h2>
          <div className="row">
            <TextField
              id="user-email"
              label="Email"
              type="email"
              value={email}
              onChange={setEmail}
              aria-describedby="user-email-error"
              error={errors.email}
            />
            <SelectField
              id="user-role"
              label="Role"
              value={role}
              onChange={(value) => {
                setRole(value as "ADMIN" | "VIEWER");
              }}
            >
              <option value="VIEWER">Viewer (read-only)</option>
              <option value="ADMIN">Admin</option>
            </SelectField>
          </div>
          <FormErrorNote error={create.error} fieldErrors={errors} />
          <button type="submit" className="submit" disabled={create.isPending}>
            Create user
          </button>
        </form>
      )}
      <ErrorNote error={users.error ?? disable.error} />
      <Loading when={users.isPending && !users.error}>
        <DataTable headers={["Email", "Role", "TOTP", "Created", "Status"]} actionColumn={canWrite}>
          {users.data?.map((user) => (
            <tr key={user.id}>
              <td>{user.email}</td>
              <td>{user.role}</td>
              <td>{user.totpEnabled ? "enrolled" : "pending"}</td>
              <td>{formatTime(user.createdAt)}</td>
              <td>{user.disabledAt ? `disabled ${formatTime(user.disabledAt)}` : "active"}</td>
              {canWrite && (
                <td>
                  {!user.disabledAt && user.id !== me.userId && (
                    <DangerButton
                      onClick={() => {
                        disable.mutate({ userId: user.id });
                      }}
                    >
                      Disable
                    </DangerButton>
                  )}
                </td>
              )}
            </tr>
          ))}
        </DataTable>
      </Loading>
    </section>
  );
}
