import {
  decideConsoleCredential,
  type ConsoleCredential,
  type ConsoleSessionClaims,
} from "@conclave/api/adapters/console-credential";
import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { SESSION_COOKIE } from "../auth/auth-options";
import type { ConsoleRuntime } from "./console-runtime";

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

// next-auth splits a large session cookie into `<name>.0`, `<name>.1`, ...; any of
// them means the browser is presenting its session.
function hasSessionCookie(req: NextRequest): boolean {
  return req.cookies
    .getAll()
    .some(({ name }) => name === SESSION_COOKIE || name.startsWith(`${SESSION_COOKIE}.`));
}

/** The one credential this request authenticates with; see decideConsoleCredential. */
export function consoleCredential(
  runtime: ConsoleRuntime,
  req: NextRequest,
): Promise<ConsoleCredential> {
  return decideConsoleCredential({
    authorization: req.headers.get("authorization"),
    hasSessionCookie: hasSessionCookie(req),
    verifySession: () => consoleSessionClaims(runtime, req),
  });
}
