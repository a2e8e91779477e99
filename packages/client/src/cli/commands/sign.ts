import { loadKeyShare } from "../../keyshare/key-share-file";
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
    const review = await reviewTransaction(client, vaultId, transactionId);
    io.err(`transaction  ${review.transactionId}`);
    io.err(`chain        ${review.chain} (${review.network})`);
    io.err(`destination  ${review.destination}`);
    io.err(`amount       ${review.amountDisplay}  (${review.amount} base units)`);
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
    const keyShare = await loadKeyShare(options.stateDir, vaultId, await readPassphrase(false));
    const signature = await runSigning(client, {
      review,
      keyShare,
      onProgress: (line) => {
        io.err(progressLine(line));
      },
    });
    io.out(`transaction ${transactionId} completed`);
    io.out(`signature ${signature}`);
    return 0;
  } finally {
    await client.close();
  }
}
