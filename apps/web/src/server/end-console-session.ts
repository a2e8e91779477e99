import { AuthenticationError } from "@conclave/api/errors/authentication-error";
import { authenticate } from "@conclave/api/services/auth/authenticate";
import { logOut } from "@conclave/api/services/sessions/log-out";
import type { NextRequest } from "next/server";
import { consoleSessionClaims } from "./console-credential";
import type { ConsoleRuntime } from "./console-runtime";
import { requestMetaFrom } from "./request-meta";

// next-auth's own sign-out only clears the cookie; the Session row behind it must be
// revoked too, or a copied cookie would stay good until the row expires. Resolves
// when no live session is left behind this request; rejects when revoking failed.
export async function endConsoleSession(runtime: ConsoleRuntime, req: NextRequest): Promise<void> {
  const session = await consoleSessionClaims(runtime, req);
  if (session === null) return;
  const meta = requestMetaFrom(req.headers);
  try {
    const principal = await authenticate(
      runtime.deps,
      { ...meta, frontDoor: "console", transport: "https" },
      { kind: "consoleSession", ...session },
    );
    if (principal?.kind === "session") await logOut(runtime.deps, meta, principal);
  } catch (error) {
    // Revoked, expired or idle already: nothing is left to end.
    if (error instanceof AuthenticationError) return;
    throw error;
  }
}
