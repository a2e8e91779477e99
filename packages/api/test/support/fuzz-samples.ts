// One input per procedure that its parser ACCEPTS. The fuzz never sends these as
// they are: it breaks one field, drops one key or adds one, so the broken input is
// malformed in exactly one place and the check that must catch it is reached (with
// vaultId naming a vault the caller may use, past the vault pre-check).
// A procedure with an input parser and no sample here fails the coverage test.
const point = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
const hex = (bytes: number) => "ab".repeat(bytes);
const otherId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

export type SampleIds = { vaultId: string };

export function validSamples({ vaultId }: SampleIds): Record<string, Record<string, unknown>> {
  const retire = { vaultId, confirmName: "Vault A" };
  const transactionRef = { vaultId, transactionId: otherId };
  return {
    "sessions.revoke": { sessionId: otherId },
    "admin.invitations.create": { vaultId, role: "GUARDIAN", expiresInHours: 24 },
    "admin.invitations.list": { vaultId },
    "admin.invitations.revoke": { invitationId: otherId },
    "admin.sessions.listForSubject": { subjectType: "USER", subjectId: otherId },
    "admin.sessions.revoke": { sessionId: otherId },
    "admin.apiKeys.create": { name: "ops key", scopes: ["users:read"], expiresInDays: 30 },
    "admin.apiKeys.revoke": { apiKeyId: otherId },
    "admin.vaults.create": {
      name: "Treasury",
      chain: "bitcoin",
      network: "testnet",
      threshold: 2,
      guardianCount: 3,
    },
    "admin.vaults.detail": { vaultId },
    "admin.vaults.get": { vaultId },
    "admin.vaults.disable": { ...retire, password: "pw" },
    "admin.vaults.delete": { ...retire, totpCode: "123456" },
    "admin.transactions.create": {
      vaultId,
      fields: {
        chain: "bitcoin",
        network: "testnet",
        destination: "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
        amount: "1000",
        memo: "rent",
      },
    },
    // Parses as input; decodeVaultPsbt refuses it (malformed) past the parser.
    "admin.transactions.importPsbt": { vaultId, network: "testnet", psbt: "cHNidP8A", memo: "" },
    "admin.transactions.list": { vaultId, status: "PENDING" },
    "admin.transactions.get": transactionRef,
    "admin.transactions.cancel": transactionRef,
    "admin.bans.list": { activeOnly: true, limit: 10 },
    "admin.bans.lift": { ip: "192.0.2.1" },
    "console.audit.list": {
      action: "vault.create",
      actorType: "USER",
      from: "2026-01-01T00:00:00.000Z",
      beforeSeq: "10",
      limit: 10,
    },
    "console.securityEvents.list": { severity: "WARN", before: "2026-01-01T00:00:00Z", limit: 10 },
    "admin.users.create": { email: "someone@example.test", role: "VIEWER" },
    "admin.users.disable": { userId: otherId },
    "auth.join": {
      vaultId,
      code: "invitation-code",
      identityPublicKey: hex(32),
      challengeId: otherId,
      signature: hex(64),
      displayName: "Guardian",
      deviceName: "laptop",
    },
    "auth.issueJoinChallenge": { identityPublicKey: hex(32) },
    "auth.issueChallenge": { identityPublicKey: hex(32) },
    "auth.login": {
      challengeId: otherId,
      identityPublicKey: hex(32),
      signature: hex(64),
      deviceName: "laptop",
    },
    "auth.refresh": { refreshToken: "refresh-token" },
    "auth.renewSocketToken": { accessToken: "access-token" },
    "vaults.get": { vaultId },
    "keygen.state": { vaultId },
    "keygen.submitRound1": {
      vaultId,
      ceremonyId: otherId,
      package: { sender: 1, commitments: [point, point], proofOfKnowledge: hex(64) },
      roundPublicKey: hex(32),
      roundKeySignature: hex(64),
    },
    "keygen.submitRound2": {
      vaultId,
      ceremonyId: otherId,
      envelopes: [{ recipientIndex: 2, ciphertext: hex(92), signature: hex(64) }],
    },
    "keygen.submitRound3": {
      vaultId,
      ceremonyId: otherId,
      publicKeyPackage: {
        threshold: 2,
        participants: 3,
        groupPublicKey: point,
        groupPublicKeyXOnly: hex(32),
        verifyingShares: { "1": point, "2": point },
      },
    },
    "transactions.listForGuardian": { vaultId },
    "transactions.get": transactionRef,
    "signing.commit": { ...transactionRef, attempt: 1, hiding: point, binding: point },
    "signing.submitShare": { ...transactionRef, attempt: 1, share: hex(32) },
    "events.subscribe": { lastEventId: "0" },
  };
}
