"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCanWrite } from "../../../components/console-user";
import { Badge } from "../../../components/badge";
import { DataTable } from "../../../components/data-table";
import { SelectField } from "../../../components/select-field";
import { TextField } from "../../../components/text-field";
import { ErrorNote, FormErrorNote, formatTime, Loading, submitWith } from "../../../components/ui";
import { fieldErrors } from "../../../lib/console-error";
import { useTRPC } from "../../../lib/trpc";

const networks = {
  bitcoin: ["mainnet", "testnet", "regtest"],
  ethereum: ["mainnet", "sepolia", "holesky"],
} as const;

function CreateVaultForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [chain, setChain] = useState<"bitcoin" | "ethereum">("bitcoin");
  const [network, setNetwork] = useState("testnet");
  const [threshold, setThreshold] = useState(2);
  const [guardianCount, setGuardianCount] = useState(3);
  const create = useMutation(
    trpc.admin.vaults.create.mutationOptions({
      onSuccess: () => {
        setName("");
        void queryClient.invalidateQueries({ queryKey: trpc.admin.vaults.list.pathKey() });
      },
    }),
  );
  const submit = () => {
    create.mutate(
      chain === "bitcoin"
        ? {
            name,
            chain,
            network: network as (typeof networks.bitcoin)[number],
            threshold,
            guardianCount,
          }
        : {
            name,
            chain,
            network: network as (typeof networks.ethereum)[number],
            threshold,
            guardianCount,
          },
    );
  };
  const errors = fieldErrors(create.error);
  return (
    <form className="panel" onSubmit={submitWith(submit)} aria-label="Create vault">
      <h2>Create a vault</h2>
      <div className="row">
        <TextField
          id="vault-name"
          label="Name"
          value={name}
          onChange={setName}
          aria-describedby="vault-name-error"
          required
          maxLength={200}
          error={errors.name}
        />
        <SelectField
          id="vault-chain"
          label="Chain"
          value={chain}
          onChange={(value) => {
            const next = value as "bitcoin" | "ethereum";
            setChain(next);
            setNetwork(networks[next][1]);
          }}
        >
          <option value="bitcoin">Bitcoin</option>
          <option value="ethereum">Ethereum</option>
        </SelectField>
        <SelectField
          id="vault-network"
          label="Network"
          value={network}
          onChange={setNetwork}
          error={errors.network}
        >
          {networks[chain].map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </SelectField>
        <TextField
          id="vault-threshold"
          label="Threshold (t)"
          type="number"
          min={2}
          max={15}
          value={threshold}
          onChange={(value) => {
            setThreshold(Number(value));
          }}
          aria-describedby="vault-threshold-error"
          error={errors.threshold}
        />
        <TextField
          id="vault-guardians"
          label="Guardians (n)"
          type="number"
          min={2}
          max={15}
          value={guardianCount}
          onChange={(value) => {
            setGuardianCount(Number(value));
          }}
          aria-describedby="vault-guardians-error"
          error={errors.guardianCount}
        />
      </div>
      <FormErrorNote error={create.error} fieldErrors={errors} />
      <button type="submit" className="submit" disabled={create.isPending}>
        Create vault
      </button>
    </form>
  );
}

export function VaultsView() {
  const canWrite = useCanWrite();
  const trpc = useTRPC();
  const vaults = useQuery(trpc.admin.vaults.list.queryOptions());
  return (
    <section>
      <h1>Vaults</h1>
      {canWrite && <CreateVaultForm />}
      <ErrorNote error={vaults.error} />
      <Loading when={vaults.isPending && !vaults.error}>
        <DataTable headers={["Name", "Chain", "t of n", "Status", "Created"]}>
          {vaults.data?.map((vault) => (
            <tr key={vault.id}>
              <td>
                <Link href={`/vaults/${vault.id}`} className="vault-name">
                  {vault.name}
                </Link>
              </td>
              <td>{vault.chain}</td>
              <td>
                {vault.threshold} of {vault.guardianCount}
              </td>
              <td>
                <Badge family="status" value={vault.status} />
              </td>
              <td>{formatTime(vault.createdAt)}</td>
            </tr>
          ))}
        </DataTable>
        {vaults.data?.length === 0 && <p className="muted">No vaults yet.</p>}
      </Loading>
    </section>
  );
}
