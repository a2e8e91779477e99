// The one permission table (DESIGN.md section 3, RBAC). Every procedure names one
// permission; the access-matrix test derives its expectations from this file.

export const roles = ["ADMIN", "GUARDIAN", "VIEWER"] as const;
export type Role = (typeof roles)[number];

export const permissionRoles = {
  "session.own.read": ["ADMIN", "VIEWER", "GUARDIAN"],
  "session.own.revoke": ["ADMIN", "VIEWER", "GUARDIAN"],
  "vault.member.read": ["GUARDIAN"],
  "vault.read": ["ADMIN", "VIEWER"],
  "invitation.read": ["ADMIN", "VIEWER"],
  "invitation.write": ["ADMIN"],
  "session.any.read": ["ADMIN", "VIEWER"],
  "session.any.revoke": ["ADMIN"],
  "user.read": ["ADMIN", "VIEWER"],
  "apiKey.read": ["ADMIN"],
  "apiKey.write": ["ADMIN"],
  "dashboard.read": ["ADMIN", "VIEWER"],
  "audit.read": ["ADMIN", "VIEWER"],
  "securityEvent.read": ["ADMIN", "VIEWER"],
  "user.write": ["ADMIN"],
  "guardian.read": ["ADMIN", "VIEWER"],
  "vault.write": ["ADMIN"],
  "vault.destroy": ["ADMIN"],
  "transaction.read": ["ADMIN", "VIEWER"],
  "transaction.write": ["ADMIN"],
  "keygen.participate": ["GUARDIAN"],
  "signing.participate": ["GUARDIAN"],
  "transaction.member.read": ["GUARDIAN"],
  "event.own.read": ["GUARDIAN"],
  "ban.write": ["ADMIN"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionRoles;
export const permissions = Object.keys(permissionRoles) as Permission[];

// API-key scopes grant admin permissions only. Managing API keys and anything
// "own" (which needs a session) is deliberately unreachable with a key.
export const apiKeyScopePermissions = {
  "invitations:read": ["invitation.read", "vault.read"],
  "invitations:write": ["invitation.read", "invitation.write", "vault.read"],
  "sessions:read": ["session.any.read"],
  "sessions:write": ["session.any.read", "session.any.revoke"],
  "users:read": ["user.read"],
  "vaults:write": ["vault.read", "vault.write"],
  // Disabling or deleting a vault: never implied by vaults:write, and each call also
  // carries a current TOTP code of the key's creator (confirmFreshCredentials).
  "vaults:destroy": ["vault.read", "vault.destroy"],
  "transactions:read": ["transaction.read", "vault.read"],
  "transactions:write": ["transaction.read", "transaction.write", "vault.read"],
} as const satisfies Record<string, readonly Permission[]>;

export type ApiKeyScope = keyof typeof apiKeyScopePermissions;
export const apiKeyScopes = Object.keys(apiKeyScopePermissions) as [ApiKeyScope, ...ApiKeyScope[]];

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return (permissionRoles[permission] as readonly Role[]).includes(role);
}

export function scopesGrantPermission(
  scopes: readonly ApiKeyScope[],
  permission: Permission,
): boolean {
  return scopes.some((scope) =>
    (apiKeyScopePermissions[scope] as readonly Permission[]).includes(permission),
  );
}

// Permissions an API key could ever hold: the "admin procedures" of issue 3.
export function isApiKeyPermission(permission: Permission): boolean {
  return apiKeyScopes.some((scope) =>
    (apiKeyScopePermissions[scope] as readonly Permission[]).includes(permission),
  );
}
