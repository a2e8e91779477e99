"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useCanWrite } from "../../../../../../components/console-user";
import { Badge } from "../../../../../../components/badge";
import { DangerButton } from "../../../../../../components/danger-button";
import { DataTable } from "../../../../../../components/data-table";
import { CopyButton, ErrorNote, formatTime, Loading } from "../../../../../../components/ui";
import type { ConsoleRouterOutputs } from "@conclave/api/routers/console-router-io";
import { useTRPC } from "../../../../../../lib/trpc";

type Bitcoin = NonNullable<ConsoleRouterOutputs["admin"]["transactions"]["get"]["bitcoin"]>;

/** What the guardians review, and once signed, what to broadcast. */
function BitcoinTransaction({ bitcoin }: { bitcoin: Bitcoin }) {
  const { summary } = bitcoin;
  return (
    <>
      <h2>Outputs</h2>
      <DataTable className="psbt-outputs" headers={["Address", "Amount (sat)", "Change"]}>
        {summary.outputs.map((output, i) => (
          <tr key={i}>
            <td className="mono details">{output.address}</td>
            <td className="mono">{output.amount}</td>
            <td>{output.change ? "back to the vault" : ""}</td>
          </tr>
        ))}
      </DataTable>
      <dl className="facts">
        <dt>Inputs</dt>
        <dd>
          {summary.inputs.length}, {summary.totalInput} sat from the vault&apos;s address
        </dd>
        <dt>Fee</dt>
        <dd>
          {summary.fee} sat ({summary.feeRate} sat/vB, {summary.vsize} vB)
        </dd>
        <dt>Txid</dt>
        <dd className="mono details" data-testid="txid">
          {bitcoin.txid}
        </dd>
        {bitcoin.rawTransaction !== null && (
          <>
            <dt>Raw transaction (hex, to broadcast)</dt>
            <dd>
              <textarea className="mono" readOnly rows={4} value={bitcoin.rawTransaction} />
              <CopyButton value={bitcoin.rawTransaction} label="Copy raw transaction" />
            </dd>
          </>
        )}
        {bitcoin.signedPsbt !== null && (
          <>
            <dt>Signed PSBT (base64)</dt>
            <dd>
              <textarea className="mono" readOnly rows={4} value={bitcoin.signedPsbt} />
              <CopyButton value={bitcoin.signedPsbt} label="Copy signed PSBT" />
            </dd>
          </>
        )}
      </dl>
    </>
  );
}

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
            <h1>
              {data.kind === "psbt"
                ? "Bitcoin transaction (PSBT)"
                : "Approval signature (not a chain transaction)"}
            </h1>
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
              {data.signature && data.kind === "approval" && (
                <>
                  <dt>Approval signature (BIP340 over the digest)</dt>
                  <dd className="mono details">{data.signature}</dd>
                </>
              )}
            </dl>
            {data.bitcoin && <BitcoinTransaction bitcoin={data.bitcoin} />}
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
