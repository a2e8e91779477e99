import { AuthenticationError } from "@conclave/api/errors/authentication-error";
import { authenticate } from "@conclave/api/services/auth/authenticate";
import { decode } from "next-auth/jwt";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "../auth/auth-options";
import { consoleRuntime } from "./console-runtime";
import { requestMetaFrom } from "./request-meta";

export type ConsoleUser = {
  userId: string;
  sessionId: string;
  email: string;
  role: "ADMIN" | "VIEWER";
};

// Every console page calls this: the JWT alone is not enough, its Session row must
// still be live (not revoked, not idle, not expired) and the account enabled.
export async function currentConsoleUser(): Promise<ConsoleUser | null> {
  const runtime = await consoleRuntime();
  const cookie = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!cookie) return null;
  // A garbage, tampered or foreign-key cookie is no session, not a server error.
  const token = await decode({
    token: cookie,
    secret: runtime.config.secrets.NEXTAUTH_SECRET,
  }).catch(() => null);
  if (typeof token?.sid !== "string" || typeof token.sub !== "string") return null;
  const meta = requestMetaFrom(await headers());
  try {
    const principal = await authenticate(
      runtime.deps,
      { ...meta, frontDoor: "console", transport: "https" },
      { kind: "consoleSession", sessionId: token.sid, userId: token.sub },
    );
    if (principal?.kind !== "session" || principal.role === "GUARDIAN") return null;
    const user = await runtime.deps.prisma.user.findUnique({
      where: { id: principal.subjectId },
      select: { email: true },
    });
    if (!user) return null;
    return {
      userId: principal.subjectId,
      sessionId: principal.sessionId,
      email: user.email,
      role: principal.role,
    };
  } catch (error) {
    if (error instanceof AuthenticationError) return null;
    throw error;
  }
}

export async function requireConsoleUser(): Promise<ConsoleUser> {
  const user = await currentConsoleUser();
  if (!user) redirect("/signin");
  return user;
}
