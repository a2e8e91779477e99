import { z } from "zod";

// The proof of presence a one-way act carries in its own input (trpc.ts,
// freshCredentialsVaultProcedure). A console session sends its user's password or a
// TOTP code; an API key sends a current TOTP code of the admin who created it.
export const freshCredentialFields = {
  password: z.string().min(1).max(1024).optional(),
  totpCode: z
    .string()
    .regex(/^\d{6}$/, "Enter the 6-digit code")
    .optional(),
};

/** For `.refine(hasFreshCredential, freshCredentialMissing)`: one of the two is required. */
export function hasFreshCredential(value: {
  password?: string | undefined;
  totpCode?: string | undefined;
}): boolean {
  return value.password !== undefined || value.totpCode !== undefined;
}

export const freshCredentialMissing = {
  message: "Enter your password or an authentication code",
  path: ["password"],
};
