"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../lib/trpc";
import { Badge } from "./badge";
import { DataTable } from "./data-table";
import { SelectField } from "./select-field";
import { ErrorNote, formatTime, Loading } from "./ui";

const statuses = ["PENDING", "SIGNING", "COMPLETED", "FAILED", "EXPIRED", "CANCELLED"] as const;
type Status = (typeof statuses)[number];

export function TransactionsTable({ vaultId }: { vaultId: string }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<Status | "">("");
  const transactions = useQuery(
    trpc.admin.transactions.list.queryOptions({ vaultId, ...(status === "" ? {} : { status }) }),
  );
  return (
    <>
      <SelectField
        id={`tx-status-${vaultId}`}
        label="Status"
        value={status}
        onChange={(value) => {
          setStatus(value as Status | "");
        }}
        inline
      >
        <option value="">any</option>
        {statuses.map((value) => (
          <option key={value} value={value}>
            {value.toLowerCase()}
          </option>
        ))}
      </SelectField>
      <ErrorNote error={transactions.error} />
      <Loading when={transactions.isPending && !transactions.error}>
        <DataTable
          className="transactions"
          headers={["Created", "Kind", "Destination", "Amount", "Memo", "Status"]}
        >
          {transactions.data?.map((tx) => (
            <tr key={tx.id}>
              <td>
                <Link href={`/vaults/${vaultId}/transactions/${tx.id}`}>
                  {formatTime(tx.createdAt)}
                </Link>
              </td>
              <td>{tx.kind === "psbt" ? "bitcoin transaction" : "approval signature"}</td>
              <td className="mono details">{tx.destination}</td>
              <td className="mono">{tx.amount}</td>
              <td className="memo">{tx.memo}</td>
              <td>
                <Badge family="status" value={tx.status} />
              </td>
            </tr>
          ))}
        </DataTable>
        {transactions.data?.length === 0 && <p className="muted">No transactions.</p>}
      </Loading>
    </>
  );
}
