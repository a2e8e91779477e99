import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, createVault, invite, meta, newIdentity } from "./support/fixtures";
import { generousAuthLimits } from "./support/generous-auth-limits";
import { signedJoin } from "./support/signed-join";
import { createTestApi, type TestApi } from "./support/test-api";

// Found by the embedded end-to-end test: guardians joining one vault at once each took a
// key-share lock on the vault row (their membership's foreign key) before asking for its
// update lock, and PostgreSQL killed one of them as a deadlock (a 500 for that guardian).
describe("guardians joining one vault at the same time", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ abuse: generousAuthLimits });
  });
  afterAll(async () => {
    await api.close();
  });

  it("all join, and the last one moves the vault to keygen", async () => {
    const guardianCount = 6;
    const admin = await createUser(api, "ADMIN");
    const vault = await createVault(api, admin.id, "Concurrent joins", guardianCount);
    const invitations = await Promise.all(
      Array.from({ length: guardianCount }, () => invite(api, admin.id, vault.id)),
    );
    const joined = await Promise.allSettled(
      invitations.map((invitation) =>
        signedJoin(api, meta(), {
          vaultId: vault.id,
          code: invitation.code,
          identity: newIdentity(),
        }),
      ),
    );
    expect(joined.filter((outcome) => outcome.status === "rejected")).toEqual([]);
    expect(await api.prisma.vaultMembership.count({ where: { vaultId: vault.id } })).toBe(
      guardianCount,
    );
    expect((await api.prisma.vault.findUniqueOrThrow({ where: { id: vault.id } })).status).toBe(
      "KEYGEN",
    );
  });
});
