import { describe, expect, it } from "vitest";
import {
  dkgRound1PackageColumn,
  dkgRound3PublicKeyPackageColumn,
  signingPackageColumn,
  vaultPublicKeyPackageColumn,
} from "../src/services/coordination/coordination-json-columns";
import type { JsonColumn } from "../src/services/coordination/json-column";
import { JsonColumnError } from "../src/services/coordination/json-column-error";

const point = (byte: string) => `02${byte.repeat(32)}`;

const publicKeyPackage = {
  threshold: 2,
  participants: 3,
  groupPublicKey: point("aa"),
  groupPublicKeyXOnly: "aa".repeat(32),
  verifyingShares: { "1": point("01"), "2": point("02"), "3": point("03") },
};
const round1Package = {
  sender: 2,
  commitments: [point("04"), point("05")],
  proofOfKnowledge: "ab".repeat(64),
};
const signingPackage = {
  commitments: [
    { signer: 1, hiding: point("06"), binding: point("07") },
    { signer: 3, hiding: point("08"), binding: point("09") },
  ],
  message: "cd".repeat(32),
};

const columns: [JsonColumn<object>, object][] = [
  [vaultPublicKeyPackageColumn, publicKeyPackage],
  [dkgRound3PublicKeyPackageColumn, publicKeyPackage],
  [dkgRound1PackageColumn, round1Package],
  [signingPackageColumn, signingPackage],
];

/** What PostgreSQL's jsonb hands back: a fresh tree of plain JSON values. */
const stored = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function caught(fn: () => unknown): JsonColumnError {
  try {
    fn();
  } catch (error) {
    if (error instanceof JsonColumnError) return error;
    throw error;
  }
  throw new Error("expected a JsonColumnError");
}

describe("JSON columns are parsed at the schema edge", () => {
  it.each(columns)("%s: a well-formed stored value reads back as written", (column, value) => {
    expect(column.read(stored(column.write(value)))).toEqual(value);
    expect(column.readNullable(stored(value))).toEqual(value);
  });

  it("an empty nullable column reads as null, and as malformed where a value is required", () => {
    expect(signingPackageColumn.readNullable(null)).toBeNull();
    const error = caught(() => signingPackageColumn.read(null));
    expect(error.column).toBe("SigningAttempt.signingPackage");
    expect(error.direction).toBe("read");
  });

  it.each([
    [
      "a missing field",
      { ...publicKeyPackage, groupPublicKeyXOnly: undefined },
      "groupPublicKeyXOnly",
    ],
    ["a number as a string", { ...publicKeyPackage, threshold: "2" }, "threshold"],
    ["uppercase hex", { ...publicKeyPackage, groupPublicKey: point("AA") }, "groupPublicKey"],
    [
      "a verifying share under a non-index key",
      { ...publicKeyPackage, verifyingShares: { zero: point("01") } },
      "verifyingShares.zero",
    ],
    ["an unknown key", { ...publicKeyPackage, secret: "x" }, "(root)"],
    ["an array", [publicKeyPackage], "(root)"],
  ])("Vault.publicKeyPackage with %s is a typed error naming the column", (_, value, path) => {
    const error = caught(() => vaultPublicKeyPackageColumn.read(stored(value)));
    expect(error).toBeInstanceOf(Error);
    expect(error.column).toBe("Vault.publicKeyPackage");
    expect(error.message).toMatch(/^Stored Vault\.publicKeyPackage is malformed: /);
    expect(error.issues.map((issue) => issue.path)).toContain(path);
  });

  it("each column names itself and the failing path", () => {
    expect(
      caught(() =>
        dkgRound1PackageColumn.read({ ...round1Package, commitments: [point("01"), "02zz"] }),
      ).issues.map((issue) => issue.path),
    ).toEqual(["commitments.1", "commitments.1"]);
    expect(
      caught(() => dkgRound3PublicKeyPackageColumn.read({ ...publicKeyPackage, participants: 0 }))
        .column,
    ).toBe("DkgRound3Report.publicKeyPackage");
    const signing = caught(() =>
      signingPackageColumn.read({ ...signingPackage, commitments: [{ signer: 1 }] }),
    );
    expect(signing.column).toBe("SigningAttempt.signingPackage");
    expect(signing.issues.map((issue) => issue.path)).toEqual([
      "commitments.0.hiding",
      "commitments.0.binding",
    ]);
  });

  it("the error message names paths, never the stored value", () => {
    const secretLooking = "ff".repeat(31) + "0g";
    const error = caught(() =>
      signingPackageColumn.read({ ...signingPackage, message: secretLooking }),
    );
    expect(error.message).toContain("message");
    expect(error.message).not.toContain(secretLooking);
  });

  it("a writer refuses a value its reader would refuse, so it never reaches the database", () => {
    const error = caught(() =>
      dkgRound1PackageColumn.write({ ...round1Package, proofOfKnowledge: "ab" }),
    );
    expect(error.column).toBe("DkgRound1Submission.package");
    expect(error.direction).toBe("write");
    expect(error.message).toMatch(/^Refused to store DkgRound1Submission\.package is malformed/);
  });

  it("a writer returns a plain copy, not the caller's object", () => {
    const written = vaultPublicKeyPackageColumn.write(publicKeyPackage);
    expect(written).toEqual(publicKeyPackage);
    expect(written).not.toBe(publicKeyPackage);
  });
});
