// The backup manifest's Ed25519 signature: any change to any field, a different key, or
// a manifest that names its own key is refused.
import { describe, expect, it } from "vitest";
import {
  type BackupManifest,
  signManifest,
  verifyManifest,
} from "@conclave/ws-server/cli/commands/backup/backup-manifest";
import {
  generateBackupSigningSeed,
  parseBackupSigningKey,
} from "@conclave/ws-server/cli/commands/backup/backup-signing-key";

const key = parseBackupSigningKey("BACKUP_SIGNING_KEY", generateBackupSigningSeed());
const otherKey = parseBackupSigningKey("BACKUP_SIGNING_KEY", generateBackupSigningSeed());

function sample(signingKey = key): BackupManifest {
  return signManifest(
    {
      createdAt: "2026-12-06T02:30:00.000Z",
      content: {
        kind: "database",
        serverVersion: "15.18",
        pgDumpVersion: "pg_dump (PostgreSQL) 15.18",
        migration: "20261206041511_backup_runs",
        migrationCount: 6,
        auditHead: { seq: "42", hash: "a".repeat(64) },
        rowCounts: { AuditEvent: 42, Vault: 2 },
      },
      ciphertext: {
        fileName: "conclave-db-20261206T023000Z.age",
        sha256: "b".repeat(64),
        bytes: 1000,
      },
      recipients: ["age1qtxyhch5jzlq5yrpkg4whe95epjaayuml99507k8wm9egz6t5f9qgjp59y"],
    },
    signingKey,
  );
}

describe("backup manifest signature", () => {
  it("verifies a manifest signed with the trusted key, whatever its key order", () => {
    const manifest = sample();
    const reordered = Object.fromEntries(Object.entries(manifest).reverse());
    expect(verifyManifest(JSON.stringify(reordered), key.publicKeyHex)).toEqual(manifest);
  });

  it.each([
    [
      "the ciphertext digest",
      (m: BackupManifest) => ({ ...m, ciphertext: { ...m.ciphertext, sha256: "c".repeat(64) } }),
    ],
    [
      "a row count",
      (m: BackupManifest) => ({
        ...m,
        content: { ...m.content, rowCounts: { AuditEvent: 41, Vault: 2 } },
      }),
    ],
    ["the creation time", (m: BackupManifest) => ({ ...m, createdAt: "2026-12-07T02:30:00.000Z" })],
    [
      "the recipients",
      (m: BackupManifest) => ({
        ...m,
        recipients: ["age1dtkg0dh0kdfgwgftnya6jdmtkeawd3mwsx2fxzr28hsnl0l63a0swljzc6"],
      }),
    ],
  ])("refuses a manifest whose %s was changed", (_field, change) => {
    const altered = change(sample());
    expect(() => verifyManifest(JSON.stringify(altered), key.publicKeyHex)).toThrow(
      /signature is invalid/u,
    );
  });

  it("refuses a manifest signed by another key, even one that names that key", () => {
    const forged = sample(otherKey);
    expect(() => verifyManifest(JSON.stringify(forged), key.publicKeyHex)).toThrow(
      /signed with a key other than BACKUP_SIGNING_PUBLIC_KEY/u,
    );
  });

  it("refuses a manifest with an unknown field and one that is not JSON", () => {
    expect(() =>
      verifyManifest(JSON.stringify({ ...sample(), extra: 1 }), key.publicKeyHex),
    ).toThrow(/malformed/u);
    expect(() => verifyManifest("{", key.publicKeyHex)).toThrow(/not JSON/u);
  });
});
