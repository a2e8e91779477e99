import type {
  DkgRound1Package,
  PublicKeyPackage,
  SigningPackage,
} from "@conclave/frost/wire-types";
import type { PsbtSummary } from "@conclave/bitcoin/decode-vault-psbt";
import { bitcoinNetworkSchema } from "@conclave/validators/chain-schema";
import { compressedPointHexSchema, hexSchema } from "@conclave/validators/hex-schemas";
import { z } from "zod";
import { defineJsonColumn } from "./json-column";

// The stored shapes are the frost wire types; curve membership of the points was
// checked by @conclave/frost when the value was accepted, so a read checks form only.
const guardianIndex = z.number().int().min(1);

const publicKeyPackage: z.ZodType<PublicKeyPackage> = z.strictObject({
  threshold: z.number().int().min(1),
  participants: z.number().int().min(1),
  groupPublicKey: compressedPointHexSchema,
  groupPublicKeyXOnly: hexSchema(32),
  verifyingShares: z.record(z.string().regex(/^[1-9][0-9]*$/), compressedPointHexSchema),
});

const dkgRound1Package: z.ZodType<DkgRound1Package> = z.strictObject({
  sender: guardianIndex,
  commitments: z.array(compressedPointHexSchema).min(1),
  proofOfKnowledge: hexSchema(64),
});

const signingPackage: z.ZodType<SigningPackage> = z.strictObject({
  commitments: z
    .array(
      z.strictObject({
        signer: guardianIndex,
        hiding: compressedPointHexSchema,
        binding: compressedPointHexSchema,
      }),
    )
    .min(1),
  message: z.string().regex(/^(?:[0-9a-f]{2})+$/, "expected lowercase hex"),
});

/** The group's public key package, set when the DKG activates the vault. */
export const vaultPublicKeyPackageColumn = defineJsonColumn(
  "Vault.publicKeyPackage",
  publicKeyPackage,
);

/** A guardian's round-1 broadcast, relayed to the others and used to derive the group key. */
export const dkgRound1PackageColumn = defineJsonColumn(
  "DkgRound1Submission.package",
  dkgRound1Package,
);

/** A guardian's own view of the DKG outcome, compared with the server's derivation. */
export const dkgRound3PublicKeyPackageColumn = defineJsonColumn(
  "DkgRound3Report.publicKeyPackage",
  publicKeyPackage,
);

/** For a PSBT, one signing package per input; set with signingPackage. */
export const signingPackagesColumn = defineJsonColumn(
  "SigningAttempt.signingPackages",
  z.array(signingPackage).min(1),
);

const satoshi = z.string().regex(/^(?:0|[1-9][0-9]*)$/);
const psbtSummary: z.ZodType<PsbtSummary> = z.strictObject({
  network: bitcoinNetworkSchema,
  txid: hexSchema(32),
  version: z.number().int(),
  lockTime: z.number().int().nonnegative(),
  inputs: z.array(
    z.strictObject({
      txid: hexSchema(32),
      vout: z.number().int().nonnegative(),
      amount: satoshi,
      sequence: z.number().int().nonnegative(),
      sighash: z.enum(["DEFAULT", "ALL"]),
    }),
  ),
  outputs: z.array(z.strictObject({ address: z.string(), amount: satoshi, change: z.boolean() })),
  totalInput: satoshi,
  sent: satoshi,
  change: satoshi,
  fee: satoshi,
  vsize: z.number().int().positive(),
  feeRate: z.string().regex(/^[0-9]+\.[0-9]{2}$/),
});

/** What decodeVaultPsbt made of an imported PSBT: what guardians review. */
export const psbtSummaryColumn = defineJsonColumn("Transaction.psbtSummary", psbtSummary);

/** Set when the signer set of an attempt is fixed; null while commitments come in. */
export const signingPackageColumn = defineJsonColumn(
  "SigningAttempt.signingPackage",
  signingPackage,
);
