"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { TransactionsTable } from "../../../components/transactions-table";
import { ErrorNote } from "../../../components/ui";
import { trpc } from "../../../lib/trpc";

export function TransactionsView() {
  const vaults = useQuery({ queryKey: ["vaults"], queryFn: () => trpc.admin.vaults.list.query() });
  const [chosen, setChosen] = useState<string>("");
  const vaultId = chosen || vaults.data?.[0]?.id || "";
  return (
    <section>
      <h1>Transactions</h1>
      <ErrorNote error={vaults.error} />
      <div className="inline-form">
        <label htmlFor="tx-vault">Vault</label>
        <select
          id="tx-vault"
          value={vaultId}
          onChange={(event) => {
            setChosen(event.target.value);
          }}
        >
          {vaults.data?.map((vault) => (
            <option key={vault.id} value={vault.id}>
              {vault.name}
            </option>
          ))}
        </select>
      </div>
      {vaultId !== "" && <TransactionsTable vaultId={vaultId} />}
      {vaults.data?.length === 0 && <p className="muted">No vaults yet.</p>}
    </section>
  );
}
