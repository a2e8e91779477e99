import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { z } from "zod";
import { transactionIdSchema, vaultIdSchema } from "./id-schemas";
import { transactionFieldsSchema } from "./transaction-fields-schema";

export const TRANSACTION_DIGEST_TAG = "conclave/tx/v1";

/** BIP340 tagged hash: SHA256(SHA256(tag) || SHA256(tag) || message). */
export function taggedHash(tag: string, message: Uint8Array): Uint8Array {
  const tagHash = sha256(utf8ToBytes(tag));
  return sha256(concatBytes(tagHash, tagHash, message));
}

const digestIdsSchema = z.strictObject({
  vaultId: vaultIdSchema,
  transactionId: transactionIdSchema,
});

export type TransactionDigestInput = z.input<typeof digestIdsSchema> &
  z.input<typeof transactionFieldsSchema>;

/**
 * The fields, in this fixed order, each as a 4-byte big-endian byte length followed by
 * its UTF-8 bytes:
 *   vaultId, transactionId, chain, network, destination, amount, memo
 * Values are the canonical forms the schemas produce: lowercase UUIDs, EIP-55 or
 * lowercase-segwit / base58check Bitcoin address, decimal base units without leading zeros, NFC memo.
 * Length prefixes make the encoding injective: no two field tuples share an encoding,
 * whatever characters the fields contain. A format change needs a new tag version.
 */
export function encodeTransactionForDigest(input: TransactionDigestInput): Uint8Array {
  const { vaultId, transactionId, ...rest } = input;
  const ids = digestIdsSchema.parse({ vaultId, transactionId });
  const v = transactionFieldsSchema.parse(rest);
  const fields = [
    ids.vaultId,
    ids.transactionId,
    v.chain,
    v.network,
    v.destination,
    v.amount,
    v.memo,
  ];
  return concatBytes(...fields.map(lengthPrefixed));
}

/** Hex of the 32-byte tagged hash the guardians sign. Throws ZodError on invalid fields. */
export function transactionDigest(input: TransactionDigestInput): string {
  return bytesToHex(taggedHash(TRANSACTION_DIGEST_TAG, encodeTransactionForDigest(input)));
}

function lengthPrefixed(value: string): Uint8Array {
  const bytes = utf8ToBytes(value);
  const prefix = new Uint8Array(4);
  new DataView(prefix.buffer).setUint32(0, bytes.length, false);
  return concatBytes(prefix, bytes);
}
