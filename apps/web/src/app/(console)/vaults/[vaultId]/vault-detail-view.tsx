"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCanWrite } from "../../../../components/console-user";
import { Badge } from "../../../../components/badge";
import { DangerButton } from "../../../../components/danger-button";
import { DataTable } from "../../../../components/data-table";
import { TextField } from "../../../../components/text-field";
import { TransactionsTable } from "../../../../components/transactions-table";
import { VaultAddress } from "../../../../components/vault-address";
import { ImportPsbtForm } from "./import-psbt-form";
import {
  ErrorNote,
  FieldError,
  FormErrorNote,
  formatTime,
  Loading,
  OneTimeSecret,
  submitWith,
} from "../../../../components/ui";
import type {
  ConsoleRouterInputs,
  ConsoleRouterOutputs,
} from "@conclave/api/routers/console-router-io";
import { errorReason, fieldErrors } from "../../../../lib/console-error";
import { useTRPC } from "../../../../lib/trpc";

type VaultDetail = ConsoleRouterOutputs["admin"]["vaults"]["detail"];
type TransactionFields = ConsoleRouterInputs["admin"]["transactions"]["create"]["fields"];

// One branch per chain: only then does the compiler see the vault's network paired
// with its own chain. The server still checks the address and the amount.
function transactionFields(
  vault: VaultDetail,
  entered: Pick<TransactionFields, "destination" | "amount" | "memo">,
): TransactionFields {
  return vault.chain === "bitcoin"
    ? { chain: vault.chain, network: vault.network, ...entered }
    : { chain: vault.chain, network: vault.network, ...entered };
}

function CreateTransaction({ vault }: { vault: VaultDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [destination, setDestination] = useState("");
  const [amount, setAmount] = useState("");
  const [memo, setMemo] = useState("");
  const create = useMutation(
    trpc.admin.transactions.create.mutationOptions({
      onSuccess: () => {
        setDestination("");
        setAmount("");
        setMemo("");
        void queryClient.invalidateQueries({
          queryKey: trpc.admin.transactions.list.queryKey({ vaultId: vault.id }),
        });
      },
    }),
  );
  const errors = fieldErrors(create.error);
  const submit = () => {
    create.mutate({
      vaultId: vault.id,
      fields: transactionFields(vault, { destination, amount, memo }),
    });
  };
  return (
    <form aria-label="Create transaction" onSubmit={submitWith(submit)}>
      <div className="row">
        <TextField
          id="tx-destination"
          label="Destination address"
          value={destination}
          onChange={setDestination}
          error={errors["fields.destination"]}
        />
        <TextField
          id="tx-amount"
          label="Amount (base units)"
          inputMode="numeric"
          value={amount}
          onChange={setAmount}
          error={errors["fields.amount"]}
        />
        <TextField
          id="tx-memo"
          label="Memo"
          value={memo}
          onChange={setMemo}
          error={errors["fields.memo"]}
        />
      </div>
      <FormErrorNote error={create.error} fieldErrors={errors} />
      <button type="submit" className="secondary" disabled={create.isPending}>
        Request approval signature
      </button>
    </form>
  );
}

function Invitations({ vaultId }: { vaultId: string }) {
  const canWrite = useCanWrite();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [code, setCode] = useState<string | null>(null);
  const invitationsOfVault = trpc.admin.invitations.list.queryOptions({ vaultId });
  const invitations = useQuery(invitationsOfVault);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: invitationsOfVault.queryKey });
    void queryClient.invalidateQueries({
      queryKey: trpc.admin.vaults.detail.queryKey({ vaultId }),
    });
  };
  const create = useMutation(
    trpc.admin.invitations.create.mutationOptions({
      onSuccess: (created) => {
        setCode(created.code);
        refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.admin.invitations.revoke.mutationOptions({ onSuccess: refresh }));
  return (
    <div className="panel">
      <h2>Invitations</h2>
      {code !== null && (
        <OneTimeSecret
          title="Invitation code."
          value={code}
          onDone={() => {
            setCode(null);
          }}
        />
      )}
      {canWrite && (
        <button
          type="button"
          className="submit"
          disabled={create.isPending}
          onClick={() => {
            create.mutate({ vaultId });
          }}
        >
          Create invitation
        </button>
      )}
      <ErrorNote error={create.error ?? revoke.error ?? invitations.error} />
      <DataTable headers={["Created", "Expires", "Status"]} actionColumn={canWrite}>
        {invitations.data?.map((invitation) => (
          <tr key={invitation.id}>
            <td>{formatTime(invitation.createdAt)}</td>
            <td>{formatTime(invitation.expiresAt)}</td>
            <td>
              <Badge family="invitation" value={invitation.status} />
            </td>
            {canWrite && (
              <td>
                {invitation.status === "PENDING" && (
                  <DangerButton
                    onClick={() => {
                      revoke.mutate({ invitationId: invitation.id });
                    }}
                  >
                    Revoke
                  </DangerButton>
                )}
              </td>
            )}
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function Retire({
  vaultId,
  name,
  action,
}: {
  vaultId: string;
  name: string;
  action: "disable" | "delete";
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirmName, setConfirmName] = useState("");
  const [proof, setProof] = useState("");
  const retired = {
    onSuccess: () => {
      setProof("");
      void queryClient.invalidateQueries({
        queryKey: trpc.admin.vaults.detail.queryKey({ vaultId }),
      });
      void queryClient.invalidateQueries({ queryKey: trpc.admin.vaults.list.pathKey() });
    },
  };
  // Each Retire form keeps one action for its lifetime, so the hook always gets the same procedure.
  const retire = useMutation(
    action === "disable"
      ? trpc.admin.vaults.disable.mutationOptions(retired)
      : trpc.admin.vaults.delete.mutationOptions(retired),
  );
  const submit = () => {
    // Six digits are an authenticator code; anything else is the password.
    const credentials = /^\d{6}$/.test(proof) ? { totpCode: proof } : { password: proof };
    retire.mutate({ vaultId, confirmName, ...credentials });
  };
  const errors = fieldErrors(retire.error);
  if (errorReason(retire.error) === "reauthentication_failed") {
    errors.password = "Password or code is wrong";
  }
  const id = `retire-${action}`;
  return (
    <form className="inline-form" aria-label={`${action} vault`} onSubmit={submitWith(submit)}>
      <label htmlFor={id}>Type the vault name to {action} it</label>
      <input
        id={id}
        value={confirmName}
        onChange={(event) => {
          setConfirmName(event.target.value);
        }}
      />
      <label htmlFor={`${id}-proof`}>Your password or a current code</label>
      <input
        id={`${id}-proof`}
        type="password"
        autoComplete="current-password"
        value={proof}
        onChange={(event) => {
          setProof(event.target.value);
        }}
      />
      <button
        type="submit"
        className="danger"
        disabled={confirmName !== name || proof === "" || retire.isPending}
      >
        {action === "disable" ? "Disable vault" : "Delete vault"}
      </button>
      <FieldError
        id={`${id}-proof-error`}
        message={errors.password ?? errors.totpCode ?? errors.confirmName}
      />
      <FormErrorNote error={retire.error} fieldErrors={errors} />
    </form>
  );
}

export function VaultDetailView({ vaultId }: { vaultId: string }) {
  const canWrite = useCanWrite();
  const trpc = useTRPC();
  const vault = useQuery(trpc.admin.vaults.detail.queryOptions({ vaultId }));
  const data = vault.data;
  return (
    <section>
      <ErrorNote error={vault.error} />
      <Loading when={vault.isPending && !vault.error}>
        {data && (
          <>
            <h1 className="vault-title">{data.name}</h1>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <Badge family="status" value={data.status} />
              </dd>
              <dt>Chain</dt>
              <dd>
                {data.chain} ({data.network})
              </dd>
              <dt>Threshold</dt>
              <dd>
                {data.threshold} of {data.guardianCount}
              </dd>
              <dt>Group key</dt>
              <dd className="mono">{data.groupPublicKeyXOnly ?? "not yet generated"}</dd>
              {data.address !== null && (
                <>
                  <dt>Address (P2TR)</dt>
                  <dd>
                    <VaultAddress address={data.address} />
                  </dd>
                </>
              )}
              <dt>Created</dt>
              <dd>{formatTime(data.createdAt)}</dd>
              <dt>Key generation</dt>
              <dd>
                {data.keygen
                  ? `attempt ${data.keygen.attempt}, round ${data.keygen.round} of 3, ${data.keygen.status.toLowerCase()}` +
                    (data.keygen.failureReason ? ` (${data.keygen.failureReason})` : "")
                  : "not started"}
              </dd>
            </dl>
            <div className="panel">
              <h2>
                Guardians ({data.members.length} of {data.guardianCount})
              </h2>
              <DataTable headers={["Index", "Name", "Joined"]}>
                {data.members.map((member) => (
                  <tr key={member.guardianId}>
                    <td>{member.guardianIndex ?? "—"}</td>
                    <td>{member.displayName}</td>
                    <td>{formatTime(member.joinedAt)}</td>
                  </tr>
                ))}
              </DataTable>
            </div>
            <Invitations vaultId={vaultId} />
            <div className="panel">
              <h2>Transactions</h2>
              {canWrite && data.status === "ACTIVE" && data.chain === "bitcoin" && (
                <>
                  <h3>Bitcoin transaction from a PSBT</h3>
                  <ImportPsbtForm vault={data} />
                </>
              )}
              {canWrite && data.status === "ACTIVE" && (
                <>
                  <h3>Approval signature (not a chain transaction)</h3>
                  <CreateTransaction vault={data} />
                </>
              )}
              <TransactionsTable vaultId={vaultId} />
            </div>
            {canWrite && data.status !== "DELETED" && (
              <div className="panel danger-zone">
                <h2>Danger zone</h2>
                {data.status !== "DISABLED" && (
                  <Retire vaultId={vaultId} name={data.name} action="disable" />
                )}
                <Retire vaultId={vaultId} name={data.name} action="delete" />
              </div>
            )}
          </>
        )}
      </Loading>
    </section>
  );
}
