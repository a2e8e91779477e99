"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCanWrite } from "../../../components/console-user";
import { ErrorNote, FieldError, formatTime, Loading } from "../../../components/ui";
import { fieldErrors, trpc } from "../../../lib/trpc";

const networks = {
  bitcoin: ["mainnet", "testnet", "regtest"],
  ethereum: ["mainnet", "sepolia", "holesky"],
} as const;

function CreateVaultForm() {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [chain, setChain] = useState<"bitcoin" | "ethereum">("bitcoin");
  const [network, setNetwork] = useState("testnet");
  const [threshold, setThreshold] = useState(2);
  const [guardianCount, setGuardianCount] = useState(3);
  const create = useMutation({
    mutationFn: () =>
      chain === "bitcoin"
        ? trpc.admin.vaults.create.mutate({
            name,
            chain,
            network: network as (typeof networks.bitcoin)[number],
            threshold,
            guardianCount,
          })
        : trpc.admin.vaults.create.mutate({
            name,
            chain,
            network: network as (typeof networks.ethereum)[number],
            threshold,
            guardianCount,
          }),
    onSuccess: () => {
      setName("");
      void queryClient.invalidateQueries({ queryKey: ["vaults"] });
    },
  });
  const errors = fieldErrors(create.error);
  const submit = (event: { preventDefault(): void }) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="panel" onSubmit={submit} aria-label="Create vault">
      <h2>Create a vault</h2>
      <div className="row">
        <div className="field">
          <label htmlFor="vault-name">Name</label>
          <input
            id="vault-name"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
            }}
            aria-describedby="vault-name-error"
            required
            maxLength={200}
          />
          <FieldError id="vault-name-error" message={errors.name} />
        </div>
        <div className="field">
          <label htmlFor="vault-chain">Chain</label>
          <select
            id="vault-chain"
            value={chain}
            onChange={(event) => {
              const next = event.target.value as "bitcoin" | "ethereum";
              setChain(next);
              setNetwork(networks[next][1]);
            }}
          >
            <option value="bitcoin">Bitcoin</option>
            <option value="ethereum">Ethereum</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="vault-network">Network</label>
          <select
            id="vault-network"
            value={network}
            onChange={(event) => {
              setNetwork(event.target.value);
            }}
          >
            {networks[chain].map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
          <FieldError id="vault-network-error" message={errors.network} />
        </div>
        <div className="field">
          <label htmlFor="vault-threshold">Threshold (t)</label>
          <input
            id="vault-threshold"
            type="number"
            min={2}
            max={15}
            value={threshold}
            onChange={(event) => {
              setThreshold(Number(event.target.value));
            }}
            aria-describedby="vault-threshold-error"
          />
          <FieldError id="vault-threshold-error" message={errors.threshold} />
        </div>
        <div className="field">
          <label htmlFor="vault-guardians">Guardians (n)</label>
          <input
            id="vault-guardians"
            type="number"
            min={2}
            max={15}
            value={guardianCount}
            onChange={(event) => {
              setGuardianCount(Number(event.target.value));
            }}
            aria-describedby="vault-guardians-error"
          />
          <FieldError id="vault-guardians-error" message={errors.guardianCount} />
        </div>
      </div>
      {Object.keys(errors).length === 0 && <ErrorNote error={create.error} />}
      <button type="submit" className="submit" disabled={create.isPending}>
        Create vault
      </button>
    </form>
  );
}

export function VaultsView() {
  const canWrite = useCanWrite();
  const vaults = useQuery({ queryKey: ["vaults"], queryFn: () => trpc.admin.vaults.list.query() });
  return (
    <section>
      <h1>Vaults</h1>
      {canWrite && <CreateVaultForm />}
      <ErrorNote error={vaults.error} />
      <Loading when={vaults.isPending && !vaults.error}>
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Chain</th>
              <th>t of n</th>
              <th>Status</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
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
                  <span className={`badge status-${vault.status.toLowerCase()}`}>
                    {vault.status}
                  </span>
                </td>
                <td>{formatTime(vault.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {vaults.data?.length === 0 && <p className="muted">No vaults yet.</p>}
      </Loading>
    </section>
  );
}
