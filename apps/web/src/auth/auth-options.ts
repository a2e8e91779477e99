import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { RateLimitedError } from "@conclave/api/abuse/rate-limited-error";
import { ConsoleAuthError } from "@conclave/api/services/auth/console-auth-error";
import { guardConsoleCredentials } from "@conclave/api/services/auth/guard-console-credentials";
import { signInConsoleUser } from "@conclave/api/services/auth/sign-in-console-user";
import type { ConsoleRuntime } from "../server/console-runtime";
import { requestMetaFrom } from "../server/request-meta";
import { sameOriginRedirect } from "./same-origin-redirect";
import { encodeAbuseRefusal } from "./sign-in-error-code";

type ConsoleUser = { id: string; sid?: string; role?: string };

export const SESSION_COOKIE = "__Host-conclave.session";

const cookieOptions = { httpOnly: true, sameSite: "strict", path: "/", secure: true } as const;

// The absolute lifetime matches the Session row's; the row (revocation, idle timeout,
// cap) decides whether the cookie still means anything.
const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;

function field(credentials: Record<string, string> | undefined, name: string): string {
  const value = credentials?.[name];
  return typeof value === "string" ? value.slice(0, 2048) : "";
}

export function authOptions(runtime: ConsoleRuntime): AuthOptions {
  return {
    secret: runtime.config.secrets.NEXTAUTH_SECRET,
    useSecureCookies: true,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    jwt: { maxAge: SESSION_MAX_AGE_S },
    // next-auth's own sign-out page styles itself inline, which the CSP refuses.
    pages: { signIn: "/signin", signOut: "/signout", error: "/signin" },
    cookies: {
      sessionToken: { name: SESSION_COOKIE, options: cookieOptions },
      csrfToken: { name: "__Host-conclave.csrf", options: cookieOptions },
      callbackUrl: { name: "__Host-conclave.callback", options: cookieOptions },
    },
    providers: [
      CredentialsProvider({
        name: "Conclave",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          totp: { label: "Authentication code", type: "text" },
          newPassword: { label: "New password", type: "password" },
        },
        async authorize(credentials, req) {
          const newPassword = field(credentials, "newPassword");
          const headers = new Headers();
          for (const [name, value] of Object.entries(req.headers ?? {})) {
            if (typeof value === "string") headers.set(name, value);
          }
          const meta = requestMetaFrom(headers);
          const email = field(credentials, "email");
          try {
            // The per-IP login limit, backoff and bans; refusals are security events.
            const signedIn = await guardConsoleCredentials(runtime.deps, meta, email, () =>
              signInConsoleUser(runtime.deps, meta, {
                email,
                password: field(credentials, "password"),
                totpCode: field(credentials, "totp"),
                ...(newPassword === "" ? {} : { newPassword }),
              }),
            );
            return {
              id: signedIn.userId,
              email: signedIn.email,
              role: signedIn.role,
              sid: signedIn.sessionId,
            };
          } catch (error) {
            // next-auth passes the message to the sign-in page as ?error=...; only
            // our fixed reason codes may travel that way.
            if (error instanceof ConsoleAuthError) throw new Error(error.authReason);
            if (error instanceof RateLimitedError) {
              throw new Error(encodeAbuseRefusal(error.reason, error.retryAfterSeconds));
            }
            runtime.logger.error({ err: error }, "console sign-in failed");
            throw new Error("unavailable");
          }
        },
      }),
    ],
    callbacks: {
      redirect: (params) => Promise.resolve(sameOriginRedirect(params)),
      jwt({ token, user }) {
        // `user` is only present on the sign-in request itself.
        const signedIn = user as ConsoleUser | undefined;
        if (signedIn?.sid === undefined) return token;
        return { sub: signedIn.id, sid: signedIn.sid, role: signedIn.role };
      },
      session({ session, token }) {
        return { ...session, sid: token.sid, role: token.role };
      },
    },
  };
}
