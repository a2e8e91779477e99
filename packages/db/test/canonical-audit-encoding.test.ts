import { describe, expect, it } from "vitest";
import {
  auditGenesisHash,
  canonicalJson,
  computeAuditHash,
  encodeAuditRow,
  type AuditHashedFields,
} from "../src/audit/canonical-audit-encoding";

const row: AuditHashedFields = {
  seq: 42n,
  at: new Date("2026-01-02T03:04:05.678Z"),
  actorType: "user",
  actorId: "u-1",
  action: "vault.create",
  targetType: "vault",
  targetId: null,
  ip: "192.0.2.1",
  userAgent: 'agent "quoted"',
  requestId: null,
  outcome: "SUCCESS",
  details: { b: [1, { z: true, a: null }], a: "x" },
  prevHash: auditGenesisHash,
};

describe("canonical audit encoding", () => {
  it("is the documented JSON array with sorted detail keys", () => {
    expect(encodeAuditRow(row)).toBe(
      '["conclave.audit.v1","42","2026-01-02T03:04:05.678Z","user","u-1","vault.create","vault",null,' +
        '"192.0.2.1","agent \\"quoted\\"",null,"SUCCESS",{"a":"x","b":[1,{"a":null,"z":true}]},' +
        `"${auditGenesisHash}"]`,
    );
  });

  it("does not depend on key insertion order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(
      canonicalJson({ a: { c: 3, d: 2 }, b: 1 }),
    );
  });

  it("changes the hash when any hashed field changes", () => {
    const base = computeAuditHash(row);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    const variants: Partial<AuditHashedFields>[] = [
      { seq: 43n },
      { at: new Date("2026-01-02T03:04:05.679Z") },
      { actorId: null },
      { targetId: "" },
      { outcome: "DENIED" },
      { details: { a: "x", b: [1, { z: true, a: 0 }] } },
      { prevHash: "f".repeat(64) },
      // Moving text between neighbouring fields is not a collision.
      { actorType: "user,u-1", actorId: null },
    ];
    for (const variant of variants) {
      expect(
        computeAuditHash({ ...row, ...variant }),
        JSON.stringify(Object.keys(variant)),
      ).not.toBe(base);
    }
  });
});
