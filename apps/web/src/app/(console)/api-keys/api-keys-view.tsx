"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCanWrite } from "../../../components/console-user";
import { DangerButton } from "../../../components/danger-button";
import { DataTable } from "../../../components/data-table";
import { TextField } from "../../../components/text-field";
import {
  ErrorNote,
  FieldError,
  FormErrorNote,
  formatTime,
  Loading,
  OneTimeSecret,
  submitWith,
} from "../../../components/ui";
import type { ConsoleRouterInputs } from "@conclave/api/routers/console-router-io";
import { fieldErrors } from "../../../lib/console-error";
import { useTRPC } from "../../../lib/trpc";

type Scope = ConsoleRouterInputs["admin"]["apiKeys"]["create"]["scopes"][number];
// Every scope the API accepts, in display order: the Record makes a scope added to the
// API a type error here until it is listed.
const listedScopes: Record<Scope, true> = {
  "invitations:read": true,
  "invitations:write": true,
  "sessions:read": true,
  "sessions:write": true,
  "users:read": true,
  "vaults:write": true,
  "vaults:destroy": true,
  "transactions:read": true,
  "transactions:write": true,
};
const scopes = Object.keys(listedScopes) as Scope[];

export function ApiKeysView() {
  const canWrite = useCanWrite();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<Scope[]>([]);
  const [days, setDays] = useState(90);
  const [secret, setSecret] = useState<string | null>(null);
  const keys = useQuery(trpc.admin.apiKeys.list.queryOptions(undefined, { enabled: canWrite }));
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.admin.apiKeys.list.pathKey() });
  const create = useMutation(
    trpc.admin.apiKeys.create.mutationOptions({
      onSuccess: (created) => {
        setSecret(created.key);
        setName("");
        setChosen([]);
        refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.admin.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const errors = fieldErrors(create.error);
  if (!canWrite) {
    return (
      <section>
        <h1>API keys</h1>
        <p className="form-error">Not allowed</p>
      </section>
    );
  }
  return (
    <section>
      <h1>API keys</h1>
      {secret !== null && (
        <OneTimeSecret
          title="New API key."
          value={secret}
          onDone={() => {
            setSecret(null);
          }}
        />
      )}
      <form
        className="panel"
        aria-label="Create API key"
        onSubmit={submitWith(() => {
          create.mutate({ name, scopes: chosen, expiresInDays: days });
        })}
      >
        <h2>Create an API key</h2>
        <div className="row">
          <TextField
            id="key-name"
            label="Name"
            value={name}
            onChange={setName}
            aria-describedby="key-name-error"
            error={errors.name}
          />
          <TextField
            id="key-days"
            label="Expires in (days)"
            type="number"
            min={1}
            max={365}
            value={days}
            onChange={(value) => {
              setDays(Number(value));
            }}
            error={errors.expiresInDays}
          />
        </div>
        <fieldset>
          <legend>Scopes</legend>
          {scopes.map((scope) => (
            <label key={scope} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(scope)}
                onChange={(event) => {
                  setChosen(
                    event.target.checked
                      ? [...chosen, scope]
                      : chosen.filter((value) => value !== scope),
                  );
                }}
              />
              {scope}
            </label>
          ))}
          <FieldError id="key-scopes-error" message={errors.scopes} />
        </fieldset>
        <FormErrorNote error={create.error} fieldErrors={errors} />
        <button type="submit" className="submit" disabled={create.isPending}>
          Create key
        </button>
      </form>
      <ErrorNote error={keys.error ?? revoke.error} />
      <Loading when={keys.isPending && !keys.error}>
        <DataTable headers={["Name", "Prefix", "Scopes", "Expires", "Last used"]} actionColumn>
          {keys.data?.map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td className="mono">{key.prefix}</td>
              <td>{key.scopes.join(", ")}</td>
              <td>{formatTime(key.expiresAt)}</td>
              <td>{formatTime(key.lastUsedAt)}</td>
              <td>
                {key.revokedAt ? (
                  <span className="badge">revoked</span>
                ) : (
                  <DangerButton
                    onClick={() => {
                      revoke.mutate({ apiKeyId: key.id });
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
