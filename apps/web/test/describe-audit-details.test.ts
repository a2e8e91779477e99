import { describe, expect, it } from "vitest";
import type { TypedAuditDetails } from "@conclave/db/audit/audit-details";
import { typedAuditDetailsSchema } from "@conclave/db/audit/audit-details";
import { describeAuditDetails } from "../src/app/(console)/audit/describe-audit-details";

const vaultId = "7d1b3c0e-9f4a-4c61-8d7e-2a8b1e0f5c33";

// Rows as the audit list returns them: the typed pair is checked by the same schema the
// API's output uses, so a sample that drifts from its action's schema fails here.
function row(typed: TypedAuditDetails, targetId: string | null = vaultId) {
  expect(typedAuditDetailsSchema.safeParse(typed).success).toBe(true);
  return { targetId, details: JSON.stringify(typed.details), typedDetails: typed };
}

describe("describeAuditDetails", () => {
  it("says what happened, per action, from the typed details", () => {
    const retired = {
      from: "ACTIVE",
      cancelledCeremonies: 0,
      cancelledTransactions: ["a", "b"],
      revokedInvitations: 1,
    };
    expect(describeAuditDetails(row({ action: "vault.disable", details: retired }))).toBe(
      "vault 7d1b3c0e disabled (was ACTIVE): 0 ceremonies and 2 transactions cancelled, 1 invitation revoked",
    );
    expect(
      describeAuditDetails(row({ action: "invitation.redeem", details: { vaultId } }, "inv-1")),
    ).toBe("invitation redeemed for vault 7d1b3c0e");
    expect(
      describeAuditDetails(
        row({
          action: "vault.create",
          details: {
            name: "treasury",
            chain: "bitcoin",
            network: "testnet",
            threshold: 2,
            guardianCount: 3,
          },
        }),
      ),
    ).toBe('vault "treasury" created, 2-of-3 on bitcoin testnet');
    expect(
      describeAuditDetails(
        row({
          action: "guardian.join",
          details: { reason: "invitation_used", vaultId, challengeId: null },
        }),
      ),
    ).toBe("join to vault 7d1b3c0e refused: invitation_used");
    expect(
      describeAuditDetails(
        row({ action: "token.refresh", details: { generation: 4, grace: true } }, "session-1"),
      ),
    ).toBe("session session- refreshed (generation 4, grace window)");
    expect(
      describeAuditDetails(row({ action: "invitation.revoke", details: {} }, "0123456789")),
    ).toBe("invitation 01234567 revoked");
  });

  it("shows the stored JSON for rows without typed details (legacy or redacted)", () => {
    const details = JSON.stringify({ kid: "k2", retiredKid: "k1", pruned: 0, keys: 2 });
    expect(describeAuditDetails({ targetId: "k2", details, typedDetails: null })).toBe(details);
  });
});
