import { TRPCError } from "@trpc/server";
import { describe, expect, it, vi } from "vitest";

// The console holds several copies of this package (Next's bundles, server.ts): a
// domain error thrown by one copy must map to its HTTP meaning in another, not to 500.
describe("domain errors across module copies", () => {
  it("are recognised and mapped by another copy of the package", async () => {
    const { NotFoundError } = await import("../src/errors/not-found-error");
    const thrown = new NotFoundError("ban_not_found", "No active ban for this address");
    vi.resetModules();
    const other = await import("../src/errors/domain-error");
    const { NotFoundError: OtherNotFoundError } = await import("../src/errors/not-found-error");
    const { toTrpcError } = await import("../src/errors/to-trpc-error");
    expect(OtherNotFoundError).not.toBe(NotFoundError);

    expect(thrown instanceof other.DomainError).toBe(true);
    const mapped = toTrpcError(thrown);
    expect(mapped).toBeInstanceOf(TRPCError);
    expect(mapped?.code).toBe("NOT_FOUND");
    expect(mapped?.message).toBe("No active ban for this address");
  });

  it("still tell subclasses and foreign errors apart", async () => {
    const { DomainError } = await import("../src/errors/domain-error");
    const { NotFoundError } = await import("../src/errors/not-found-error");
    const { ConflictError } = await import("../src/errors/conflict-error");
    const conflict = new ConflictError("taken", "Already taken");
    expect(conflict instanceof DomainError).toBe(true);
    expect(conflict instanceof NotFoundError).toBe(false);
    expect(new Error("plain") instanceof DomainError).toBe(false);
    expect({ reason: "forged", kind: "NOT_FOUND" } instanceof DomainError).toBe(false);
    expect((null as unknown) instanceof DomainError).toBe(false);
  });
});
