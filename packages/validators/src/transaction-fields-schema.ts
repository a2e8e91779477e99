import { z } from "zod";
import { amountSchema } from "./amount-schema";
import { BITCOIN_NETWORK_PARAMS, bitcoinAddressSchema } from "./bitcoin-address";
import { bitcoinNetworkSchema, ethereumNetworkSchema } from "./chain-schema";
import { ethereumAddressSchema } from "./ethereum-address";
import { memoSchema } from "./safe-text";

const bitcoinFields = z
  .strictObject({
    chain: z.literal("bitcoin"),
    network: bitcoinNetworkSchema,
    destination: z.string().max(90),
    amount: amountSchema("bitcoin"),
    memo: memoSchema,
  })
  .superRefine((value, ctx) => {
    const result = bitcoinAddressSchema(value.network).safeParse(value.destination);
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: "custom", path: ["destination"], message: issue.message });
      }
    }
  });

const ethereumFields = z.strictObject({
  chain: z.literal("ethereum"),
  network: ethereumNetworkSchema,
  destination: ethereumAddressSchema(),
  amount: amountSchema("ethereum"),
  memo: memoSchema,
});

/**
 * The user-supplied fields of a transaction. Unknown keys are rejected; the destination
 * is checked for the chain and network, the amount against the chain's bound, the memo
 * as safe text. The parsed output is canonical (NFC memo, EIP-55 or lowercase segwit destination) and is
 * what the transaction digest is computed over.
 */
export const transactionFieldsSchema = z
  .discriminatedUnion("chain", [bitcoinFields, ethereumFields])
  .transform((value) =>
    // BIP173 allows an all-uppercase segwit address (for QR codes); store one spelling.
    value.chain === "bitcoin" &&
    value.destination.toLowerCase().startsWith(BITCOIN_NETWORK_PARAMS[value.network].hrp + "1")
      ? { ...value, destination: value.destination.toLowerCase() }
      : value,
  );

export type TransactionFields = z.output<typeof transactionFieldsSchema>;
