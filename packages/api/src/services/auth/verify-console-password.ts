import { verifyPassword } from "@conclave/auth/password-hash";
import type { ApiDependencies } from "../../context/api-dependencies";
import type { RequestMeta } from "../../context/request-facts";
import { ConsoleAuthError } from "./console-auth-error";
import { recordLoginFailure } from "./record-login-failure";

export type VerifiedConsoleUser = {
  id: string;
  email: string;
  role: "ADMIN" | "VIEWER";
  totpSecret: string | null;
  mustChangeCredentials: boolean;
};

export function normaliseEmail(email: string): string {
  return email.trim().normalize("NFC").toLowerCase();
}

// First factor. An unknown email costs the same argon2 work as a wrong password
// and fails with the same error.
export async function verifyConsolePassword(
  deps: Pick<ApiDependencies, "prisma" | "clock">,
  meta: RequestMeta,
  input: { email: string; password: string },
): Promise<VerifiedConsoleUser> {
  const user = await deps.prisma.user.findUnique({
    where: { email: normaliseEmail(input.email) },
    select: {
      id: true,
      email: true,
      role: true,
      totpSecret: true,
      mustChangeCredentials: true,
      passwordHash: true,
      disabledAt: true,
    },
  });
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  if (!user) {
    await recordLoginFailure(deps, meta, null, "unknown_email");
    throw new ConsoleAuthError("invalid_credentials");
  }
  if (!passwordOk || user.disabledAt) {
    await recordLoginFailure(deps, meta, user.id, passwordOk ? "disabled" : "wrong_password");
    throw new ConsoleAuthError("invalid_credentials");
  }
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    totpSecret: user.totpSecret,
    mustChangeCredentials: user.mustChangeCredentials,
  };
}
