"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCanWrite, useConsoleUser } from "../../../components/console-user";
import { ErrorNote, FieldError, formatTime, Loading, OneTimeSecret } from "../../../components/ui";
import { fieldErrors, trpc } from "../../../lib/trpc";

export function UsersView() {
  const canWrite = useCanWrite();
  const me = useConsoleUser();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"ADMIN" | "VIEWER">("VIEWER");
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const users = useQuery({ queryKey: ["users"], queryFn: () => trpc.admin.users.list.query() });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["users"] });
  const create = useMutation({
    mutationFn: () => trpc.console.users.create.mutate({ email, role }),
    onSuccess: (user) => {
      setCreated({ email: user.email, password: user.oneTimePassword });
      setEmail("");
      refresh();
    },
  });
  const disable = useMutation({
    mutationFn: (userId: string) => trpc.console.users.disable.mutate({ userId }),
    onSuccess: refresh,
  });
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
          onSubmit={(event: { preventDefault(): void }) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <h2>Add a console user</h2>
          <div className="row">
            <div className="field">
              <label htmlFor="user-email">Email</label>
              <input
                id="user-email"
                type="email"
                value={email}
                onChange={(event) => {
                  setEmail(event.target.value);
                }}
                aria-describedby="user-email-error"
              />
              <FieldError id="user-email-error" message={errors.email} />
            </div>
            <div className="field">
              <label htmlFor="user-role">Role</label>
              <select
                id="user-role"
                value={role}
                onChange={(event) => {
                  setRole(event.target.value as "ADMIN" | "VIEWER");
                }}
              >
                <option value="VIEWER">Viewer (read-only)</option>
                <option value="ADMIN">Admin</option>
              </select>
            </div>
          </div>
          {Object.keys(errors).length === 0 && <ErrorNote error={create.error} />}
          <button type="submit" className="submit" disabled={create.isPending}>
            Create user
          </button>
        </form>
      )}
      <ErrorNote error={users.error ?? disable.error} />
      <Loading when={users.isPending && !users.error}>
        <table>
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>TOTP</th>
              <th>Created</th>
              <th>Status</th>
              {canWrite && <th />}
            </tr>
          </thead>
          <tbody>
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
                      <button
                        type="button"
                        className="danger"
                        onClick={() => {
                          disable.mutate(user.id);
                        }}
                      >
                        Disable
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </Loading>
    </section>
  );
}
