"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { SelectField } from "../../../components/select-field";
import { TransactionsTable } from "../../../components/transactions-table";
import { ErrorNote } from "../../../components/ui";
import { useTRPC } from "../../../lib/trpc";

export function TransactionsView() {
  const trpc = useTRPC();
  const vaults = useQuery(trpc.admin.vaults.list.queryOptions());
  const [chosen, setChosen] = useState<string>("");
  const vaultId = chosen || vaults.data?.[0]?.id || "";
  return (
    <section>
      <h1>Transactions</h1>
      <ErrorNote error={vaults.error} />
      <SelectField id="tx-vault" label="Vault" value={vaultId} onChange={setChosen} inline>
        {vaults.data?.map((vault) => (
          <option key={vault.id} value={vault.id}>
            {vault.name}
          </option>
        ))}
      </SelectField>
      {vaultId !== "" && <TransactionsTable vaultId={vaultId} />}
      {vaults.data?.length === 0 && <p className="muted">No vaults yet.</p>}
    </section>
  );
}
