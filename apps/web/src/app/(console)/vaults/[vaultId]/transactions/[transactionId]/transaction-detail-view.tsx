"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCanWrite } from "../../../../../../components/console-user";
import { Badge } from "../../../../../../components/badge";
import { DangerButton } from "../../../../../../components/danger-button";
import { DataTable } from "../../../../../../components/data-table";
import { ErrorNote, formatTime, Loading } from "../../../../../../components/ui";
import { useTRPC } from "../../../../../../lib/trpc";

export function TransactionDetailView({
  vaultId,
  transactionId,
}: {
  vaultId: string;
  transactionId: string;
}) {
  const canWrite = useCanWrite();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const transaction = trpc.admin.transactions.get.queryOptions(
    { vaultId, transactionId },
    { refetchInterval: 5_000 },
  );
  const tx = useQuery(transaction);
  const cancel = useMutation(
    trpc.admin.transactions.cancel.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: transaction.queryKey }),
    }),
  );
  const data = tx.data;
  return (
    <section>
      <p>
        <Link href={`/vaults/${vaultId}`}>← Vault</Link>
      </p>
      <ErrorNote error={tx.error} />
      <Loading when={tx.isPending && !tx.error}>
        {data && (
          <>
            <h1>Transaction</h1>
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <Badge family="status" value={data.status} />
              </dd>
              <dt>Destination</dt>
              <dd className="mono">{data.destination}</dd>
              <dt>Amount (base units)</dt>
              <dd className="mono">{data.amount}</dd>
              <dt>Memo</dt>
              <dd className="memo">{data.memo}</dd>
              <dt>Network</dt>
              <dd>
                {data.chain} ({data.network})
              </dd>
              <dt>Digest</dt>
              <dd className="mono details">{data.digest}</dd>
              <dt>Attempt</dt>
              <dd>
                {data.currentAttempt} of {data.maxAttempts}
              </dd>
              <dt>Created</dt>
              <dd>{formatTime(data.createdAt)}</dd>
              <dt>Expires</dt>
              <dd>{formatTime(data.expiresAt)}</dd>
              {data.failureReason && (
                <>
                  <dt>Failure</dt>
                  <dd>{data.failureReason}</dd>
                </>
              )}
              {data.signature && (
                <>
                  <dt>Signature</dt>
                  <dd className="mono details">{data.signature}</dd>
                </>
              )}
            </dl>
            {canWrite && (data.status === "PENDING" || data.status === "SIGNING") && (
              <DangerButton
                disabled={cancel.isPending}
                onClick={() => {
                  cancel.mutate({ vaultId, transactionId });
                }}
              >
                Cancel transaction
              </DangerButton>
            )}
            <ErrorNote error={cancel.error} />
            <h2>Timeline</h2>
            <ol className="timeline">
              <li>Created {formatTime(data.createdAt)}</li>
              {data.attempts.map((attempt) => (
                <li key={attempt.attempt}>
                  Attempt {attempt.attempt}: {attempt.status.toLowerCase()}
                  {" · "}commitments from {attempt.committed.join(", ") || "nobody yet"}
                  {attempt.signerIndexes.length > 0 &&
                    ` · signers ${attempt.signerIndexes.join(", ")}`}
                  {attempt.shares.length > 0 &&
                    ` · shares ${attempt.shares
                      .map((share) => `${share.signerIndex}${share.valid ? " ✓" : " ✗"}`)
                      .join(", ")}`}
                  {" · "}deadline {formatTime(attempt.roundDeadline)}
                  {attempt.failureReason && ` · ${attempt.failureReason}`}
                </li>
              ))}
              {data.completedAt && <li>Completed {formatTime(data.completedAt)}</li>}
              {data.cancelledAt && <li>Cancelled {formatTime(data.cancelledAt)}</li>}
            </ol>
            {data.excluded.length > 0 && (
              <>
                <h2>Named cheaters</h2>
                <DataTable headers={["Signer", "Guardian", "Attempt", "Reason"]}>
                  {data.excluded.map((entry) => (
                    <tr key={`${entry.guardianId}-${String(entry.attempt)}`}>
                      <td>{entry.signerIndex}</td>
                      <td className="mono">{entry.guardianId}</td>
                      <td>{entry.attempt}</td>
                      <td>{entry.reason}</td>
                    </tr>
                  ))}
                </DataTable>
              </>
            )}
          </>
        )}
      </Loading>
    </section>
  );
}
