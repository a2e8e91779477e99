import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { SESSION_COOKIE } from "../auth/auth-options";
import type { ConsoleRuntime } from "./console-runtime";

export type ConsoleSessionClaims = { sessionId: string; userId: string };

// Verifies the next-auth JWT only; the Session row behind `sid` is checked by the
// API (authenticate) or by requireConsoleUser on every request.
export async function consoleSessionClaims(
  runtime: ConsoleRuntime,
  req: NextRequest,
): Promise<ConsoleSessionClaims | null> {
  const token = await getToken({
    req,
    secret: runtime.config.secrets.NEXTAUTH_SECRET,
    cookieName: SESSION_COOKIE,
    secureCookie: true,
  });
  const sid = token?.sid;
  const sub = token?.sub;
  return typeof sid === "string" && typeof sub === "string"
    ? { sessionId: sid, userId: sub }
    : null;
}
