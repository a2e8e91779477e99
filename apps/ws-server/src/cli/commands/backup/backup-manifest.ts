import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writePrivateFileAtomically } from "@conclave/config/write-private-file-atomically";
import { type BackupSigningKey, verifyBackupSignature } from "./backup-signing-key";

const MANIFEST_FORMAT = "conclave-backup-manifest-v1";
const hex64 = z.string().regex(/^[0-9a-f]{64}$/u);
const count = z.number().int().nonnegative();

const ciphertextSchema = z.strictObject({
  fileName: z.string().nullable(),
  sha256: hex64,
  bytes: count,
});

const databaseContentSchema = z.strictObject({
  kind: z.literal("database"),
  serverVersion: z.string(),
  pgDumpVersion: z.string(),
  /** The newest applied migration: the schema version of the archive. */
  migration: z.string(),
  migrationCount: count,
  auditHead: z.strictObject({ seq: z.string().regex(/^\d+$/u), hash: hex64 }).nullable(),
  rowCounts: z.record(z.string(), count),
});

const secretsContentSchema = z.strictObject({
  kind: z.literal("secrets"),
  /** Names only: the values are inside the ciphertext. */
  secretNames: z.array(z.string()),
});

const unsignedManifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  createdAt: z.iso.datetime(),
  content: z.discriminatedUnion("kind", [databaseContentSchema, secretsContentSchema]),
  ciphertext: ciphertextSchema,
  recipients: z.array(z.string()).min(1),
  signingPublicKey: hex64,
});

const manifestSchema = unsignedManifestSchema.extend({
  signature: z.string().regex(/^[0-9a-f]{128}$/u),
});

export type UnsignedBackupManifest = z.infer<typeof unsignedManifestSchema>;
export type BackupManifest = z.infer<typeof manifestSchema>;
export type DatabaseBackupContent = z.infer<typeof databaseContentSchema>;

export class BackupManifestError extends Error {
  override name = "BackupManifestError";
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

// Domain-separated, key-order independent: what the signature covers.
function signedBytes(manifest: UnsignedBackupManifest): Uint8Array {
  return new TextEncoder().encode(`${MANIFEST_FORMAT}\n${canonicalJson(manifest)}`);
}

export function signManifest(
  manifest: Omit<UnsignedBackupManifest, "format" | "signingPublicKey">,
  key: BackupSigningKey,
): BackupManifest {
  const unsigned = unsignedManifestSchema.parse({
    ...manifest,
    format: MANIFEST_FORMAT,
    signingPublicKey: key.publicKeyHex,
  });
  return { ...unsigned, signature: key.sign(signedBytes(unsigned)) };
}

/**
 * Parses a manifest and checks its signature against the trusted key (configuration,
 * never the key the manifest names). Throws a BackupManifestError saying what is wrong.
 */
export function verifyManifest(text: string, trustedPublicKeyHex: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupManifestError("the manifest is not JSON");
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new BackupManifestError(
      `the manifest is malformed at ${parsed.error.issues.map((issue) => issue.path.join(".") || "(root)").join(", ")}`,
    );
  }
  const { signature, ...unsigned } = parsed.data;
  if (unsigned.signingPublicKey !== trustedPublicKeyHex) {
    throw new BackupManifestError(
      "the manifest is signed with a key other than BACKUP_SIGNING_PUBLIC_KEY",
    );
  }
  if (!verifyBackupSignature(trustedPublicKeyHex, signedBytes(unsigned), signature)) {
    throw new BackupManifestError("the manifest's signature is invalid: it was altered");
  }
  return parsed.data;
}

export async function readManifest(
  file: string,
  trustedPublicKeyHex: string,
): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new BackupManifestError(`cannot read the manifest ${file}`);
  }
  return verifyManifest(text, trustedPublicKeyHex);
}

/** A database backup's verified manifest, with its content narrowed to the database kind. */
export async function readDatabaseManifest(
  file: string,
  trustedPublicKeyHex: string,
): Promise<{ manifest: BackupManifest; content: DatabaseBackupContent }> {
  const manifest = await readManifest(file, trustedPublicKeyHex);
  if (manifest.content.kind !== "database") {
    throw new BackupManifestError(
      "this manifest describes a secrets backup: use `secrets restore`",
    );
  }
  return { manifest, content: manifest.content };
}

export async function writeManifest(file: string, manifest: BackupManifest): Promise<void> {
  await writePrivateFileAtomically(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Where `backup create` puts the manifest of a backup file. */
export function manifestPathOf(backupFile: string): string {
  return `${backupFile}.manifest.json`;
}
