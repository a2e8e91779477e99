"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { trpc } from "../lib/trpc";
import { ErrorNote, formatTime, Loading } from "./ui";

const statuses = ["PENDING", "SIGNING", "COMPLETED", "FAILED", "EXPIRED", "CANCELLED"] as const;
type Status = (typeof statuses)[number];

export function TransactionsTable({ vaultId }: { vaultId: string }) {
  const [status, setStatus] = useState<Status | "">("");
  const transactions = useQuery({
    queryKey: ["transactions", vaultId, status],
    queryFn: () =>
      trpc.admin.transactions.list.query({ vaultId, ...(status === "" ? {} : { status }) }),
  });
  return (
    <>
      <div className="inline-form">
        <label htmlFor={`tx-status-${vaultId}`}>Status</label>
        <select
          id={`tx-status-${vaultId}`}
          value={status}
          onChange={(event) => {
            setStatus(event.target.value as Status | "");
          }}
        >
          <option value="">any</option>
          {statuses.map((value) => (
            <option key={value} value={value}>
              {value.toLowerCase()}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={transactions.error} />
      <Loading when={transactions.isPending && !transactions.error}>
        <table className="transactions">
          <thead>
            <tr>
              <th>Created</th>
              <th>Destination</th>
              <th>Amount</th>
              <th>Memo</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {transactions.data?.map((tx) => (
              <tr key={tx.id}>
                <td>
                  <Link href={`/vaults/${vaultId}/transactions/${tx.id}`}>
                    {formatTime(tx.createdAt)}
                  </Link>
                </td>
                <td className="mono details">{tx.destination}</td>
                <td className="mono">{tx.amount}</td>
                <td className="memo">{tx.memo}</td>
                <td>
                  <span className={`badge status-${tx.status.toLowerCase()}`}>{tx.status}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {transactions.data?.length === 0 && <p className="muted">No transactions.</p>}
      </Loading>
    </>
  );
}
