import type { TypedAuditDetails } from "@conclave/db/audit/audit-details";

export type DescribableAuditRow = {
  targetId: string | null;
  /** The stored JSON, shown as is when the row has no typed details (legacy rows). */
  details: string;
  typedDetails: TypedAuditDetails | null;
};

const short = (id: string | null): string => (id === null ? "?" : id.slice(0, 8));
const plural = (count: number, noun: string, nouns = `${noun}s`): string =>
  `${count} ${count === 1 ? noun : nouns}`;

// One readable sentence per audit row, from the details typed by its action. The switch
// is exhaustive over the actions: a new action fails the typecheck here until described.
export function describeAuditDetails(row: DescribableAuditRow): string {
  const typed = row.typedDetails;
  if (typed === null) return row.details;
  const target = short(row.targetId);
  switch (typed.action) {
    case "system.bootstrap":
      return `first admin ${typed.details.email} (${typed.details.role}) created`;
    case "user.create":
      return `console user ${target} created as ${typed.details.role}`;
    case "user.login":
      return typed.details.firstSignIn ? "signed in, enrolling TOTP" : "signed in";
    case "user.login_failed":
    case "guardian.login_failed":
      return `sign-in refused: ${typed.details.reason}`;
    case "user.logout":
    case "guardian.logout":
      return `session ${target} signed out`;
    case "user.disable":
      return `console user ${target} disabled`;
    case "session.revoke":
      return `session ${target} revoked (${typed.details.reason})`;
    case "vault.create": {
      const { name, threshold, guardianCount, chain, network } = typed.details;
      return `vault "${name}" created, ${threshold}-of-${guardianCount} on ${chain} ${network}`;
    }
    case "invitation.create":
      return `invitation ${target} created for vault ${short(typed.details.vaultId)}, expires ${typed.details.expiresAt}`;
    case "invitation.revoke":
      return `invitation ${target} revoked`;
    case "invitation.redeem":
      return `invitation redeemed for vault ${short(typed.details.vaultId)}`;
    case "guardian.join":
      return "reason" in typed.details
        ? `join to vault ${short(typed.details.vaultId)} refused: ${typed.details.reason}`
        : `${typed.details.newGuardian ? "new" : "known"} guardian joined vault ${target} from "${typed.details.deviceName}"`;
    case "guardian.login":
      return `guardian signed in from "${typed.details.deviceName}"`;
    case "token.refresh":
      return "reason" in typed.details
        ? `refresh refused: ${typed.details.reason}`
        : `session ${target} refreshed (generation ${typed.details.generation}${typed.details.grace ? ", grace window" : ""})`;
    case "token.reuse_detected":
      return `refresh token reused: session ${target} ended (${typed.details.reason})`;
    case "apikey.create":
      return `API key ${typed.details.prefix} created with ${typed.details.scopes.join(", ") || "no scopes"}, expires ${typed.details.expiresAt}`;
    case "apikey.revoke":
      return `API key ${target} revoked`;
    case "apikey.use_denied":
      return `API key ${typed.details.prefix ?? "(unknown)"} refused: ${typed.details.reason}${typed.details.permission === null ? "" : ` (${typed.details.permission})`}`;
    case "ban.create":
      return `address banned (strike ${typed.details.strikes}) until ${typed.details.expiresAt}: ${typed.details.reason}`;
    case "ban.lift":
      return `ban ${short(typed.details.banId)} lifted (strike ${typed.details.strikes})`;
    case "keys.rotate":
      return `signing key ${typed.details.retiredKid} retired for ${typed.details.kid}, ${plural(typed.details.pruned, "old key")} pruned`;
    case "keys.rotate_data":
      return `data key ${typed.details.kid} active: ${plural(typed.details.reencrypted, "field")} re-encrypted, ${plural(typed.details.rewrapped, "key")} rewrapped, ${plural(typed.details.retired, "old key")} retired${typed.details.failed === 0 ? "" : `, ${plural(typed.details.failed, "field")} did not decrypt`}`;
    case "vault.disable":
    case "vault.delete": {
      const verb = typed.action === "vault.disable" ? "disabled" : "deleted";
      const { cancelledCeremonies, cancelledTransactions, revokedInvitations } = typed.details;
      return `vault ${target} ${verb} (was ${typed.details.from}): ${plural(cancelledCeremonies, "ceremony", "ceremonies")} and ${plural(cancelledTransactions.length, "transaction")} cancelled, ${plural(revokedInvitations, "invitation")} revoked`;
    }
    case "vault.invite_open":
      return `vault ${target} ${typed.details.from} -> ${typed.details.to}`;
    case "vault.activate":
      return `vault ${target} active, group key ${short(typed.details.groupPublicKeyXOnly)}`;
    case "keygen.start":
      return `key generation attempt ${typed.details.attempt} opened for vault ${short(typed.details.vaultId)}`;
    case "keygen.round1":
    case "keygen.round2":
    case "keygen.round3":
      return `guardian #${typed.details.guardianIndex} submitted ${typed.action.replace("keygen.", "")} for vault ${short(typed.details.vaultId)}`;
    case "keygen.fail":
    case "keygen.expire":
      return `key generation for vault ${short(typed.details.vaultId)} ${typed.action === "keygen.fail" ? "failed" : "expired"} in round ${typed.details.round}: ${typed.details.reason}`;
    case "transaction.create":
      return `transaction of ${typed.details.amount} to ${typed.details.destination} on ${typed.details.chain} ${typed.details.network}`;
    case "transaction.import":
      return `PSBT imported for vault ${short(typed.details.vaultId)} on bitcoin ${typed.details.network}: ${typed.details.inputCount} inputs, ${typed.details.outputCount} outputs, ${typed.details.sent} sat sent, fee ${typed.details.fee} sat (${typed.details.feeRate} sat/vB), txid ${short(typed.details.txid)}`;
    case "transaction.cancel":
    case "transaction.fail":
    case "transaction.expire":
      return `transaction ${target} ${{ "transaction.cancel": "cancelled", "transaction.fail": "failed", "transaction.expire": "expired" }[typed.action]} at attempt ${typed.details.attempt}: ${typed.details.reason}`;
    case "transaction.complete":
      return typed.details.txid === undefined
        ? `approval signature for transaction ${target} made at attempt ${typed.details.attempt}`
        : `bitcoin transaction ${short(typed.details.txid)} signed and finalized at attempt ${typed.details.attempt}`;
    case "signing.commit":
      return `signer #${typed.details.signerIndex} committed (attempt ${typed.details.attempt})`;
    case "signing.package":
      return `signing package for signers ${typed.details.signers.map((index) => `#${index}`).join(", ")} (attempt ${typed.details.attempt})`;
    case "signing.share":
      return `signer #${typed.details.signerIndex} sent ${typed.details.valid ? "a valid" : "an invalid"} share (attempt ${typed.details.attempt})`;
    case "signing.cheater":
      return `signer #${typed.details.signerIndex} (guardian ${short(typed.details.guardianId)}) excluded for a bad share (attempt ${typed.details.attempt})`;
    case "signing.attempt":
      return `signing attempt ${typed.details.attempt} opened, ${plural(typed.details.excludedGuardianIds.length, "guardian")} excluded`;
    case "backup.create":
      return typed.details.reason === null
        ? `${typed.details.kind} backup ${typed.details.fileName ?? "(streamed)"} written, sha256 ${short(typed.details.ciphertextSha256)}`
        : `${typed.details.kind} backup failed: ${typed.details.reason}`;
    case "backup.restore":
      return `database restored from the backup of ${typed.details.backupCreatedAt} (audit head ${typed.details.auditHeadSeq}, migration ${typed.details.migration})`;
    case "retention.purge":
      return `retention purge removed ${plural(typed.details.securityEventsDeleted, "security event")} before ${typed.details.securityEventsBefore}, ${plural(typed.details.sessionsDeleted, "session")} ended before ${typed.details.sessionsBefore} and ${plural(typed.details.identityChallengesDeleted, "identity challenge")} expired before ${typed.details.identityChallengesBefore}`;
  }
}
