import { z } from "zod";
import { MAX_PSBT_BYTES, MAX_PSBT_INPUTS } from "@conclave/bitcoin/decode-vault-psbt";
import { bitcoinNetworkSchema, ethereumNetworkSchema } from "@conclave/validators/chain-schema";
import {
  compressedPointHexSchema,
  hex32Schema,
  hexSchema,
  signatureHex64Schema,
} from "@conclave/validators/hex-schemas";
import { memoSchema, nameSchema } from "@conclave/validators/safe-text";
import { vaultTaprootAddress } from "@conclave/validators/taproot-address";
import { transactionFieldsSchema } from "@conclave/validators/transaction-fields-schema";
import { entityId } from "./identity-input-schemas";
import { isoDate, nullableIsoDate } from "./identity-output-schemas";

const guardianIndex = z.number().int().min(1).max(15);
const attemptNumber = z.number().int().min(1).max(100);
const ed25519Signature = hexSchema(64);
// ephemeral key (32) + nonce (12) + share (32) + tag (16) = 92 bytes; room to grow to 512.
const envelopeCiphertext = z
  .string()
  .min(184)
  .max(1024)
  .regex(/^(?:[0-9a-f]{2})+$/, "expected lowercase hex");

export const vaultStatusSchema = z.enum([
  "DRAFT",
  "INVITING",
  "KEYGEN",
  "ACTIVE",
  "DISABLED",
  "DELETED",
]);
const ceremonyStatusSchema = z.enum(["OPEN", "COMPLETED", "FAILED", "EXPIRED", "CANCELLED"]);
export const transactionStatusSchema = z.enum([
  "PENDING",
  "SIGNING",
  "COMPLETED",
  "FAILED",
  "EXPIRED",
  "CANCELLED",
]);
const attemptStatusSchema = z.enum([
  "COMMITTING",
  "SIGNING",
  "COMPLETED",
  "FAILED",
  "EXPIRED",
  "CANCELLED",
]);

// ---- inputs

const vaultShape = {
  name: nameSchema,
  threshold: z.number().int().min(2).max(15),
  guardianCount: z.number().int().min(2).max(15),
};

export const createVaultInput = z
  .discriminatedUnion("chain", [
    z.strictObject({ ...vaultShape, chain: z.literal("bitcoin"), network: bitcoinNetworkSchema }),
    z.strictObject({ ...vaultShape, chain: z.literal("ethereum"), network: ethereumNetworkSchema }),
  ])
  .refine((value) => value.threshold <= value.guardianCount, {
    message: "threshold must not exceed guardianCount",
    path: ["threshold"],
  });

export const retireVaultInput = z.strictObject({
  vaultId: entityId,
  confirmName: z.string().min(1).max(512),
});

export const dkgRound1PackageSchema = z.strictObject({
  sender: guardianIndex,
  commitments: z.array(compressedPointHexSchema).min(2).max(15),
  proofOfKnowledge: hexSchema(64),
});

export const submitRound1Input = z.strictObject({
  vaultId: entityId,
  ceremonyId: entityId,
  package: dkgRound1PackageSchema,
  roundPublicKey: hex32Schema,
  roundKeySignature: ed25519Signature,
});

export const submitRound2Input = z.strictObject({
  vaultId: entityId,
  ceremonyId: entityId,
  envelopes: z
    .array(
      z.strictObject({
        recipientIndex: guardianIndex,
        ciphertext: envelopeCiphertext,
        signature: ed25519Signature,
      }),
    )
    .min(1)
    .max(14),
});

export const publicKeyPackageSchema = z.strictObject({
  threshold: z.number().int().min(2).max(15),
  participants: z.number().int().min(2).max(15),
  groupPublicKey: compressedPointHexSchema,
  groupPublicKeyXOnly: hex32Schema,
  verifyingShares: z.record(z.string().regex(/^(?:[1-9]|1[0-5])$/), compressedPointHexSchema),
});

export const submitRound3Input = z.strictObject({
  vaultId: entityId,
  ceremonyId: entityId,
  publicKeyPackage: publicKeyPackageSchema,
});

export const createTransactionInput = z.strictObject({
  vaultId: entityId,
  fields: transactionFieldsSchema,
});

export const transactionRefInput = z.strictObject({ vaultId: entityId, transactionId: entityId });

export const listTransactionsInput = z.strictObject({
  vaultId: entityId,
  status: transactionStatusSchema.optional(),
});

// A PSBT's inputs after the first; MAX_PSBT_INPUTS bounds them.
const furtherInputs = MAX_PSBT_INPUTS - 1;

export const commitInput = z.strictObject({
  vaultId: entityId,
  transactionId: entityId,
  attempt: attemptNumber,
  hiding: compressedPointHexSchema,
  binding: compressedPointHexSchema,
  /** A PSBT's inputs 1..n-1: fresh commitments for each. */
  inputCommitments: z
    .array(z.strictObject({ hiding: compressedPointHexSchema, binding: compressedPointHexSchema }))
    .max(furtherInputs)
    .optional(),
});

export const submitShareInput = z.strictObject({
  vaultId: entityId,
  transactionId: entityId,
  attempt: attemptNumber,
  share: hex32Schema,
  /** A PSBT's inputs 1..n-1, in order. */
  inputShares: z.array(hex32Schema).max(furtherInputs).optional(),
});

/** Base64 (RFC 4648, padded) of at most MAX_PSBT_BYTES. */
export const importPsbtInput = z.strictObject({
  vaultId: entityId,
  network: bitcoinNetworkSchema,
  psbt: z
    .string()
    .min(4)
    .max(Math.ceil(MAX_PSBT_BYTES / 3) * 4)
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "expected base64"),
  memo: memoSchema,
});

export const subscribeEventsInput = z.strictObject({
  lastEventId: z
    .string()
    .regex(/^(?:0|[1-9][0-9]{0,18})$/)
    .nullish(),
});

// ---- outputs

// The columns are text; the answer names the pair, so clients get the chain's own networks.
const vaultChainOutput = z.discriminatedUnion("chain", [
  z.strictObject({ chain: z.literal("bitcoin"), network: bitcoinNetworkSchema }),
  z.strictObject({ chain: z.literal("ethereum"), network: ethereumNetworkSchema }),
]);

export const vaultDetailOutput = z
  .strictObject({
    id: z.uuid(),
    name: z.string(),
    chain: z.string(),
    network: z.string(),
    threshold: z.number().int(),
    guardianCount: z.number().int(),
    status: vaultStatusSchema,
    groupPublicKeyXOnly: z.string().nullable(),
    createdAt: isoDate,
    activatedAt: nullableIsoDate,
    disabledAt: nullableIsoDate,
    deletedAt: nullableIsoDate,
    members: z.array(
      z.strictObject({
        guardianId: z.uuid(),
        guardianIndex: z.number().int().nullable(),
        displayName: z.string(),
        joinedAt: isoDate,
      }),
    ),
    keygen: z
      .strictObject({
        ceremonyId: z.uuid(),
        attempt: z.number().int(),
        round: z.number().int(),
        status: ceremonyStatusSchema,
        roundDeadline: isoDate,
        failureReason: z.string().nullable(),
      })
      .nullable(),
  })
  .transform(({ chain, network, ...rest }) => ({
    ...rest,
    ...vaultChainOutput.parse({ chain, network }),
    address: vaultTaprootAddress({ chain, network, ...rest }),
  }));

export const keygenSubmissionOutput = z.strictObject({
  ceremonyId: z.uuid(),
  round: z.number().int(),
  status: ceremonyStatusSchema,
  duplicate: z.boolean(),
});

export const keygenStateOutput = z.strictObject({
  vaultId: z.uuid(),
  vaultStatus: vaultStatusSchema,
  threshold: z.number().int(),
  participants: z.number().int(),
  guardianIndex: z.number().int(),
  groupPublicKeyXOnly: z.string().nullable(),
  members: z.array(
    z.strictObject({ guardianIndex: z.number().int(), identityPublicKey: z.string() }),
  ),
  ceremony: z
    .strictObject({
      id: z.uuid(),
      attempt: z.number().int(),
      round: z.number().int(),
      status: ceremonyStatusSchema,
      roundDeadline: isoDate,
      round1: z.array(
        z.strictObject({
          package: z.strictObject({
            sender: z.number().int(),
            commitments: z.array(z.string()),
            proofOfKnowledge: z.string(),
          }),
          roundPublicKey: z.string(),
          roundKeySignature: z.string(),
        }),
      ),
      round2Inbox: z.array(
        z.strictObject({
          senderIndex: z.number().int(),
          ciphertext: z.string(),
          signature: z.string(),
        }),
      ),
      submitted: z.strictObject({
        round1: z.array(z.number().int()),
        round2: z.array(z.number().int()),
        round3: z.array(z.number().int()),
      }),
    })
    .nullable(),
});

const signingPackageOutput = z.strictObject({
  commitments: z.array(
    z.strictObject({ signer: z.number().int(), hiding: z.string(), binding: z.string() }),
  ),
  message: z.string(),
});

const psbtSummaryOutput = z.strictObject({
  network: bitcoinNetworkSchema,
  txid: z.string(),
  version: z.number().int(),
  lockTime: z.number().int(),
  inputs: z.array(
    z.strictObject({
      txid: z.string(),
      vout: z.number().int(),
      amount: z.string(),
      sequence: z.number().int(),
      sighash: z.enum(["DEFAULT", "ALL"]),
    }),
  ),
  outputs: z.array(
    z.strictObject({ address: z.string(), amount: z.string(), change: z.boolean() }),
  ),
  totalInput: z.string(),
  sent: z.string(),
  change: z.string(),
  fee: z.string(),
  vsize: z.number().int(),
  feeRate: z.string(),
});

const transactionSummaryShape = {
  id: z.uuid(),
  kind: z.enum(["approval", "psbt"]),
  vaultId: z.uuid(),
  chain: z.string(),
  network: z.string(),
  destination: z.string(),
  amount: z.string(),
  memo: z.string(),
  digest: z.string(),
  status: transactionStatusSchema,
  currentAttempt: z.number().int(),
  createdAt: isoDate,
  expiresAt: isoDate,
};

export const transactionSummaryOutput = z.strictObject(transactionSummaryShape);

export const transactionDetailOutput = z.strictObject({
  ...transactionSummaryShape,
  maxAttempts: z.number().int(),
  signature: signatureHex64Schema.nullable(),
  failureReason: z.string().nullable(),
  completedAt: nullableIsoDate,
  cancelledAt: nullableIsoDate,
  attempts: z.array(
    z.strictObject({
      attempt: z.number().int(),
      status: attemptStatusSchema,
      signerIndexes: z.array(z.number().int()),
      signingPackage: signingPackageOutput.nullable(),
      signingPackages: z.array(signingPackageOutput),
      committed: z.array(z.number().int()),
      shares: z.array(z.strictObject({ signerIndex: z.number().int(), valid: z.boolean() })),
      roundDeadline: isoDate,
      failureReason: z.string().nullable(),
      createdAt: isoDate,
      closedAt: nullableIsoDate,
    }),
  ),
  excluded: z.array(
    z.strictObject({
      guardianId: z.uuid(),
      signerIndex: z.number().int(),
      attempt: z.number().int(),
      reason: z.string(),
    }),
  ),
  bitcoin: z
    .strictObject({
      psbt: z.string(),
      summary: psbtSummaryOutput,
      sighashes: z.array(z.string()),
      signatures: z.array(signatureHex64Schema),
      signedPsbt: z.string().nullable(),
      rawTransaction: z.string().nullable(),
      txid: z.string(),
    })
    .nullable(),
});

export const signingSubmissionOutput = z.strictObject({
  transactionId: z.uuid(),
  attempt: z.number().int(),
  duplicate: z.boolean(),
  signers: z.array(z.number().int()),
  transactionStatus: transactionStatusSchema,
});

export const guardianEventOutput = z.strictObject({
  id: z.string(),
  type: z.string(),
  vaultId: z.uuid().nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});
