import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { pgConnectionConfig } from "../src/pg-connection-config";

describe("pgConnectionConfig", () => {
  it("passes a URL through when no CA is given", () => {
    const url = "postgres://app@db.example:5432/conclave?sslmode=require";
    expect(pgConnectionConfig({ url })).toEqual({ connectionString: url });
  });

  it("verifies against the CA and drops URL TLS settings that would override it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "conclave-ca-"));
    try {
      const caFile = path.join(dir, "ca.pem");
      await writeFile(caFile, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
      const config = pgConnectionConfig({
        url: "postgres://app:pw@db.example:5432/conclave?sslmode=no-verify&application_name=ws",
        caFile,
      });
      expect(config.connectionString).toBe(
        "postgres://app:pw@db.example:5432/conclave?application_name=ws",
      );
      expect(config.ssl).toEqual({
        ca: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        rejectUnauthorized: true,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
