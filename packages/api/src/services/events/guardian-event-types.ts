// What a guardian can be told. Payloads never hold a secret: DKG round-2 shares are
// fetched as ciphertext through keygen.state, and signing packages are public.
export const guardianEventTypes = [
  "vault.member_joined",
  "vault.disabled",
  "vault.deleted",
  "keygen.round_opened",
  "keygen.completed",
  "keygen.failed",
  "signing.requested",
  "signing.package_published",
  "signing.signer_set_fixed",
  "signing.attempt_failed",
  "transaction.completed",
  "transaction.failed",
  "transaction.expired",
  "transaction.cancelled",
] as const;

export type GuardianEventType = (typeof guardianEventTypes)[number];

export type GuardianEventInput = {
  guardianId: string;
  vaultId: string | null;
  type: GuardianEventType;
  payload: Record<string, unknown>;
};

export type GuardianEventView = {
  id: string;
  type: GuardianEventType;
  vaultId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
};
