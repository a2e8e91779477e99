import { loadKeyShare } from "../../keyshare/key-share-file";
import { formatAmount } from "../../signing/format-amount";
import { reviewTransaction } from "../../signing/review-transaction";
import { runSigning } from "../../signing/run-signing";
import type { CliIo } from "../cli-io";
import { UsageError } from "../cli-io";
import { openJoinedClient } from "../open-client";
import { progressLine } from "../progress-line";
import { askLine, readPassphrase } from "../prompt";

export interface SignOptions {
  readonly stateDir: string;
  readonly vaultId: string | undefined;
  readonly transactionId: string | undefined;
  readonly autoApprove: boolean;
}

const AUTO_APPROVE_WARNING = [
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
  "!!  --auto-approve: signing WITHOUT asking a human. Use only for       !!",
  "!!  automation you trust; the digest is still re-derived and checked.  !!",
  "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
];

/**
 * `conclave-guardian sign --vault ID --tx ID [--auto-approve]`: shows the transaction as
 * re-derived on this device, refuses on a digest mismatch, asks for approval, then
 * takes part in the signing rounds until the transaction completes.
 */
export async function signCommand(options: SignOptions, io: CliIo): Promise<number> {
  const { vaultId, transactionId } = options;
  if (vaultId === undefined || transactionId === undefined)
    throw new UsageError("sign needs --vault and --tx");
  const client = await openJoinedClient(options.stateDir);
  try {
    // Unlocked first: a PSBT is decoded against this device's own vault key.
    const keyShare = await loadKeyShare(options.stateDir, vaultId, await readPassphrase(false));
    const review = await reviewTransaction(
      client,
      vaultId,
      transactionId,
      keyShare.publicKeyPackage.groupPublicKeyXOnly,
    );
    io.err(`transaction  ${review.transactionId}`);
    io.err(`chain        ${review.chain} (${review.network})`);
    if (review.bitcoin === null) {
      io.err(
        "kind         approval signature (BIP340 over Conclave's digest; not a chain transaction)",
      );
      io.err(`destination  ${review.destination}`);
      io.err(`amount       ${review.amountDisplay}  (${review.amount} base units)`);
    } else {
      const { summary } = review.bitcoin;
      io.err("kind         bitcoin transaction (PSBT, decoded on this device: matches the server)");
      for (const output of summary.outputs)
        io.err(
          `output       ${output.address}  ${formatAmount("bitcoin", output.amount)}${output.change ? "  (change, back to the vault)" : ""}`,
        );
      io.err(
        `inputs       ${summary.inputs.length}, ${formatAmount("bitcoin", summary.totalInput)}`,
      );
      io.err(
        `fee          ${formatAmount("bitcoin", summary.fee)}  (${summary.feeRate} sat/vB, ${summary.vsize} vB)`,
      );
      io.err(`txid         ${summary.txid}`);
    }
    io.err(`memo         ${review.memo === "" ? "(none)" : review.memo}`);
    io.err(`digest       ${review.digest}  (re-derived on this device: matches the server)`);
    io.err(`status       ${review.status}, expires ${review.expiresAt}`);
    if (options.autoApprove) {
      for (const line of AUTO_APPROVE_WARNING) io.err(line);
    } else {
      const answer = await askLine("approve and sign this transaction? type 'yes' to approve: ");
      if (answer.trim().toLowerCase() !== "yes") {
        io.err("not approved; nothing was sent");
        return 1;
      }
    }
    const signature = await runSigning(client, {
      review,
      keyShare,
      onProgress: (line) => {
        io.err(progressLine(line));
      },
    });
    io.out(`transaction ${transactionId} completed`);
    if (review.bitcoin === null) {
      io.out(`signature ${signature}`);
      return 0;
    }
    const done = await client.api.transactions.get.query({ vaultId, transactionId });
    if (done.bitcoin?.rawTransaction == null || done.bitcoin.signedPsbt === null)
      throw new Error("the server has not finalized the transaction");
    io.out(`txid ${done.bitcoin.txid}`);
    io.out(`raw ${done.bitcoin.rawTransaction}`);
    io.out(`psbt ${done.bitcoin.signedPsbt}`);
    return 0;
  } finally {
    await client.close();
  }
}
