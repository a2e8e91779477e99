import { generateTotpSecret, totpUri } from "@conclave/auth/totp";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { totpSecretField } from "../../encryption/totp-secret-field";
import { ConsoleAuthError } from "./console-auth-error";
import { verifyConsolePassword } from "./verify-console-password";

export type CredentialSetup = { manualKey: string; otpauthUri: string };

export const TOTP_ISSUER = "Conclave";

// First sign-in of an account that must change its credentials (the bootstrap admin,
// or a user an admin created): after the one-time password checks out, a fresh TOTP
// secret is stored as pending. Sign-in stays refused until completeCredentialSetup
// proves the authenticator holds it, so a pending secret grants nothing.
export async function beginCredentialSetup(
  deps: Pick<ApiDependencies, "prisma" | "clock" | "fields">,
  meta: RequestMeta,
  input: { email: string; password: string },
): Promise<CredentialSetup> {
  const user = await verifyConsolePassword(deps, meta, input);
  if (!user.mustChangeCredentials) throw new ConsoleAuthError("invalid_credentials");
  const secret = generateTotpSecret();
  await deps.prisma.user.update({
    where: { id: user.id, mustChangeCredentials: true },
    data: { totpSecret: await deps.fields.encrypt(totpSecretField(user.id), secret) },
  });
  return {
    manualKey: secret,
    otpauthUri: totpUri({ issuer: TOTP_ISSUER, accountName: user.email, secret }),
  };
}
