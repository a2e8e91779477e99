import { z } from "zod";
import type { AuditActionName } from "./audit-action";

// What each audit action records in `details`, checked by writeAudit before the row is
// redacted and hashed. Strict objects: a field nobody declared is a programming error,
// not context. Field names must not look secret to redactDeep (`keys`, `code`, `share`,
// ...), or the stored value is "[REDACTED]" and readers fall back to the raw JSON.

const id = z.string().min(1);
const count = z.number().int().nonnegative();
const index = z.number().int().positive();
const instant = z.iso.datetime();
const reason = z.string().min(1);
const nothing = z.strictObject({});

const vaultRetired = z.strictObject({
  from: z.string(),
  cancelledCeremonies: count,
  cancelledTransactions: z.array(id),
  revokedInvitations: count,
});

const keygenClosed = z.strictObject({
  vaultId: id,
  round: index,
  reason,
  dissenterIndexes: z.array(index).optional(),
  missingIndexes: z.array(index).optional(),
});

const transactionClosed = z.strictObject({ vaultId: id, attempt: index, reason });

export const auditDetailsSchemas = {
  "system.bootstrap": z.strictObject({ email: z.string(), role: z.string() }),
  "user.create": z.strictObject({ role: z.string() }),
  "user.login": z.strictObject({ firstSignIn: z.boolean() }),
  "user.login_failed": z.strictObject({ reason }),
  "user.logout": nothing,
  "guardian.logout": nothing,
  "user.disable": nothing,
  "session.revoke": z.strictObject({ reason }),
  "vault.create": z.strictObject({
    name: z.string(),
    chain: z.string(),
    network: z.string(),
    threshold: index,
    guardianCount: index,
  }),
  "invitation.create": z.strictObject({ vaultId: id, role: z.string(), expiresAt: instant }),
  "invitation.revoke": nothing,
  "invitation.redeem": z.strictObject({ vaultId: id }),
  "guardian.join": z.union([
    z.strictObject({ sessionId: id, newGuardian: z.boolean(), deviceName: z.string() }),
    z.strictObject({ reason, vaultId: z.string(), challengeId: z.string().nullable() }),
  ]),
  "guardian.login": z.strictObject({ deviceName: z.string() }),
  "guardian.login_failed": z.strictObject({ reason, challengeId: z.string() }),
  "token.refresh": z.union([
    z.strictObject({ generation: count, grace: z.boolean() }),
    z.strictObject({ reason }),
  ]),
  "token.reuse_detected": z.strictObject({ reason }),
  "apikey.create": z.strictObject({
    prefix: z.string(),
    scopes: z.array(z.string()),
    expiresAt: instant,
  }),
  "apikey.revoke": nothing,
  "apikey.use_denied": z.strictObject({
    reason,
    prefix: z.string().nullable(),
    permission: z.string().nullable(),
  }),
  "ban.create": z.strictObject({
    banId: id,
    reason: z.string(),
    strikes: index,
    expiresAt: instant,
  }),
  "ban.lift": z.strictObject({ banId: id, strikes: index }),
  "keys.rotate": z.strictObject({ kid: id, retiredKid: id, pruned: count, keyCount: count }),
  "keys.rotate_data": z.strictObject({
    kid: id,
    reencrypted: count,
    failed: count,
    rewrapped: count,
    retired: count,
  }),
  "vault.disable": vaultRetired,
  "vault.delete": vaultRetired,
  "vault.invite_open": z.strictObject({ from: z.string(), to: z.string() }),
  "vault.activate": z.strictObject({ ceremonyId: id, groupPublicKeyXOnly: z.string() }),
  "keygen.start": z.strictObject({ vaultId: id, attempt: index, roundDeadline: instant }),
  "keygen.round1": z.strictObject({ vaultId: id, guardianIndex: index }),
  "keygen.round2": z.strictObject({
    vaultId: id,
    guardianIndex: index,
    recipients: z.array(index),
  }),
  "keygen.round3": z.strictObject({
    vaultId: id,
    guardianIndex: index,
    groupPublicKeyXOnly: z.string(),
  }),
  "keygen.fail": keygenClosed,
  "keygen.expire": keygenClosed,
  "transaction.create": z.strictObject({
    vaultId: id,
    chain: z.string(),
    network: z.string(),
    destination: z.string(),
    amount: z.string(),
    digest: z.string(),
  }),
  "transaction.import": z.strictObject({
    vaultId: id,
    network: z.string(),
    txid: z.string(),
    inputCount: count,
    outputCount: count,
    sent: z.string(),
    change: z.string(),
    fee: z.string(),
    feeRate: z.string(),
  }),
  "transaction.cancel": transactionClosed,
  "transaction.complete": z.strictObject({
    vaultId: id,
    attempt: index,
    signature: z.string(),
    // A PSBT's: the id of the finalized Bitcoin transaction.
    txid: z.string().optional(),
  }),
  "transaction.fail": transactionClosed,
  "transaction.expire": transactionClosed,
  "signing.commit": z.strictObject({ attempt: index, signerIndex: index }),
  "signing.package": z.strictObject({ attempt: index, signers: z.array(index) }),
  "signing.share": z.strictObject({ attempt: index, signerIndex: index, valid: z.boolean() }),
  "signing.cheater": z.strictObject({ guardianId: id, signerIndex: index, attempt: index }),
  "signing.attempt": z.strictObject({ attempt: index, excludedGuardianIds: z.array(id) }),
  "backup.create": z.strictObject({
    backupRunId: id,
    kind: z.enum(["database", "secrets"]),
    fileName: z.string().nullable(),
    ciphertextSha256: z.string().nullable(),
    auditHeadSeq: z.string().nullable(),
    reason: z.string().nullable(),
  }),
  "backup.restore": z.strictObject({
    backupCreatedAt: instant,
    ciphertextSha256: z.string(),
    auditHeadSeq: z.string(),
    migration: z.string(),
  }),
  // Counts and cutoffs only: a purge names no row it removed.
  "retention.purge": z.strictObject({
    securityEventsDeleted: count,
    sessionsDeleted: count,
    identityChallengesDeleted: count,
    securityEventsBefore: instant,
    sessionsBefore: instant,
    identityChallengesBefore: instant,
  }),
} satisfies { [Action in AuditActionName]: z.ZodType<Record<string, unknown>> };

export type AuditDetails<Action extends AuditActionName> = z.infer<
  (typeof auditDetailsSchemas)[Action]
>;

/** `details` may be left out exactly when the action records nothing. */
export type AuditDetailsField<Action extends AuditActionName> =
  Record<string, never> extends AuditDetails<Action>
    ? { details?: AuditDetails<Action> }
    : { details: AuditDetails<Action> };

/** An action together with its details, for any action: what a reader gets back. */
export type TypedAuditDetails = {
  [Action in AuditActionName]: { action: Action; details: AuditDetails<Action> };
}[AuditActionName];

// The same map, typed so that indexing it with a generic action keeps the action's type.
const schemaByAction: { [Action in AuditActionName]: z.ZodType<AuditDetails<Action>> } =
  auditDetailsSchemas;

function isAuditActionName(value: unknown): value is AuditActionName {
  return typeof value === "string" && Object.hasOwn(auditDetailsSchemas, value);
}

/**
 * Reads stored details back as their action's type; null for rows written before the
 * schema existed or whose fields redaction replaced, which readers show as raw JSON.
 */
export function readAuditDetails<Action extends AuditActionName>(
  action: Action,
  details: unknown,
): AuditDetails<Action> | null {
  const parsed = schemaByAction[action].safeParse(details);
  return parsed.success ? parsed.data : null;
}

/** An { action, details } pair whose details match the action's schema. */
export const typedAuditDetailsSchema = z.custom<TypedAuditDetails>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    "action" in value &&
    "details" in value &&
    isAuditActionName(value.action) &&
    readAuditDetails(value.action, value.details) !== null,
);
