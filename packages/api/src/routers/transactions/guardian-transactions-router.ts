import { z } from "zod";
import {
  listTransactionsInput,
  transactionDetailOutput,
  transactionRefInput,
  transactionSummaryOutput,
} from "../../schemas/coordination-schemas";
import { listTransactions } from "../../services/transactions/list-transactions";
import { loadTransactionDetail } from "../../services/transactions/transaction-detail-view";
import { router, vaultProcedure } from "../../trpc";

// Guardians see the transactions of their own vaults, with the structured fields so
// they re-derive the digest before approving.
export const guardianTransactionsRouter = router({
  listForGuardian: vaultProcedure("transaction.member.read")
    .input(listTransactionsInput)
    .output(z.array(transactionSummaryOutput))
    .query(({ ctx, input }) => listTransactions(ctx.deps, input)),

  get: vaultProcedure("transaction.member.read")
    .input(transactionRefInput)
    .output(transactionDetailOutput)
    .query(({ ctx, input }) =>
      loadTransactionDetail(ctx.deps.prisma, input.vaultId, input.transactionId),
    ),
});
