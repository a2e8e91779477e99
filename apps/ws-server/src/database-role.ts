/**
 * The application role to grant DML after migrating, or undefined when the app connects as the
 * owner itself (granting would then revoke the owner's own privileges).
 */
export function applicationRoleToGrant(appUrl: string, migrationUrl: string): string | undefined {
  const appUser = decodeURIComponent(new URL(appUrl).username);
  const ownerUser = decodeURIComponent(new URL(migrationUrl).username);
  return appUser === "" || appUser === ownerUser ? undefined : appUser;
}
