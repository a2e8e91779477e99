import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, invite, meta, newIdentity } from "./support/fixtures";
import { signedJoin } from "./support/signed-join";
import { createTestApi, type TestApi } from "./support/test-api";

// Found by the embedded end-to-end test: guardians joining one vault at once each took a
// key-share lock on the vault row (their membership's foreign key) before asking for its
// update lock, and PostgreSQL killed one of them as a deadlock (a 500 for that guardian).
describe("guardians joining one vault at the same time", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({
      // This file checks the joins, not the throttles: generous limits from one address.
      abuse: {
        limits: {
          join: { max: 1000 },
          joinChallenge: { max: 1000 },
          challenge: { max: 1000 },
          login: { max: 1000 },
        },
        authFailures: { freeFailuresPerIdentifier: 1000, freeFailuresPerIp: 1000 },
      },
    });
  });
  afterAll(async () => {
    await api.close();
  });

  it("all join, and the last one moves the vault to keygen", async () => {
    const guardianCount = 6;
    const admin = await createUser(api, "ADMIN");
    const vault = await api.prisma.vault.create({
      data: {
        name: "Concurrent joins",
        chain: "bitcoin",
        threshold: 2,
        guardianCount,
        status: "INVITING",
        createdById: admin.id,
      },
    });
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
