import { z } from "zod";
import {
  createTransactionInput,
  importPsbtInput,
  listTransactionsInput,
  transactionDetailOutput,
  transactionRefInput,
  transactionSummaryOutput,
} from "../../schemas/coordination-schemas";
import { cancelTransaction } from "../../services/transactions/cancel-transaction";
import { createTransaction } from "../../services/transactions/create-transaction";
import { importPsbt } from "../../services/transactions/import-psbt";
import { listTransactions } from "../../services/transactions/list-transactions";
import { loadTransactionDetail } from "../../services/transactions/transaction-detail-view";
import { router, vaultProcedure } from "../../trpc";
import { adminActor } from "../../rbac/principal";

export const adminTransactionsRouter = router({
  create: vaultProcedure("transaction.write", { recordDenials: "transactions.create" })
    .input(createTransactionInput)
    .output(transactionDetailOutput)
    .mutation(({ ctx, input }) =>
      createTransaction(ctx.deps, ctx.request, adminActor(ctx.principal), input),
    ),

  /** A Bitcoin spend from a PSBT on the vault's key path, signed per input and finalized. */
  importPsbt: vaultProcedure("transaction.write", { recordDenials: "transactions.importPsbt" })
    .input(importPsbtInput)
    .output(transactionDetailOutput)
    .mutation(({ ctx, input }) =>
      importPsbt(ctx.deps, ctx.request, adminActor(ctx.principal), input),
    ),

  list: vaultProcedure("transaction.read")
    .input(listTransactionsInput)
    .output(z.array(transactionSummaryOutput))
    .query(({ ctx, input }) => listTransactions(ctx.deps, input)),

  /** With the attempts timeline and any guardian named for a bad share. */
  get: vaultProcedure("transaction.read")
    .input(transactionRefInput)
    .output(transactionDetailOutput)
    .query(({ ctx, input }) =>
      loadTransactionDetail(ctx.deps.prisma, input.vaultId, input.transactionId),
    ),

  cancel: vaultProcedure("transaction.write", { recordDenials: "transactions.cancel" })
    .input(transactionRefInput)
    .output(transactionDetailOutput)
    .mutation(({ ctx, input }) =>
      cancelTransaction(ctx.deps, ctx.request, adminActor(ctx.principal), input),
    ),
});
