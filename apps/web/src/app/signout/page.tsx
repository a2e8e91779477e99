import type { Metadata } from "next";
import Link from "next/link";
import { SignOutButton } from "../../components/sign-out-button";
import { currentConsoleUser } from "../../server/require-console-user";

export const metadata: Metadata = { title: "Sign out · Conclave" };

// next-auth's built-in sign-out page (GET /api/auth/signout) styles itself with inline
// `style` attributes, which the console's CSP refuses. This one uses the stylesheet
// only, and signs out as the console's own button does: the Session row is revoked
// first, and a failure says so instead of clearing the cookie.
export default async function SignOutPage() {
  const user = await currentConsoleUser();
  return (
    <main className="auth-shell">
      <section className="auth-card" aria-labelledby="signout-title">
        <h1 id="signout-title">Sign out</h1>
        {user === null ? (
          <>
            <p className="subtitle">You are not signed in.</p>
            <Link href="/signin">Sign in</Link>
          </>
        ) : (
          <>
            <p className="subtitle">Signed in as {user.email}.</p>
            <div className="actions">
              <SignOutButton />
            </div>
          </>
        )}
      </section>
    </main>
  );
}
