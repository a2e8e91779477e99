import type { Metadata } from "next";

export const metadata: Metadata = { title: "Sign in · Conclave" };

/** Credentials go to next-auth's credentials callback by POST, never in a query string. */
export default function SignInPage() {
  return (
    <main className="auth-shell">
      <section className="auth-card" aria-labelledby="signin-title">
        <h1 id="signin-title">Conclave</h1>
        <p className="subtitle">Sign in to the console</p>
        <form method="post" action="/api/auth/callback/credentials" autoComplete="on">
          <div className="field">
            <label htmlFor="email">Email</label>
            <input id="email" name="email" type="email" autoComplete="username" required />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          </div>
          <div className="field">
            <label htmlFor="totp">Authentication code</label>
            <input
              id="totp"
              name="totp"
              type="text"
              inputMode="numeric"
              pattern="[0-9]{6}"
              maxLength={6}
              autoComplete="one-time-code"
              aria-describedby="totp-hint"
              required
            />
            <span id="totp-hint" className="hint">
              The 6-digit code from your authenticator app
            </span>
          </div>
          <button className="submit" type="submit">
            Sign in
          </button>
        </form>
      </section>
    </main>
  );
}
