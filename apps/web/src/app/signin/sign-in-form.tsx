"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { describeSignInError as describe } from "./describe-sign-in-error";

type Setup = { manualKey: string; qr: { size: number; d: string } };

async function errorCodeOf(response: Response): Promise<string | undefined> {
  const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
  return typeof body?.error === "string" ? body.error : undefined;
}

export function SignInForm({
  ended,
  initialError,
}: {
  ended: boolean;
  /** A reason code from next-auth's redirect (?error=...). */
  initialError: string | undefined;
}) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [setup, setSetup] = useState<Setup | null>(null);
  const [error, setError] = useState<string | null>(
    initialError === undefined ? null : describe(initialError),
  );
  const [busy, setBusy] = useState(false);

  async function beginSetup(): Promise<void> {
    const response = await fetch("/api/setup/begin", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) {
      setError(describe(await errorCodeOf(response)));
      return;
    }
    setSetup((await response.json()) as Setup);
    setTotp("");
    setError(null);
  }

  async function submit(event: { preventDefault(): void }): Promise<void> {
    event.preventDefault();
    if (setup && newPassword !== confirm) {
      setError("The two new passwords differ.");
      return;
    }
    setBusy(true);
    try {
      if (!setup && totp === "") {
        // First sign-in needs no code yet: the server says whether setup is due.
        await beginSetup();
        return;
      }
      // It throws when the answer is not next-auth's (e.g. the front door's refusal).
      const result = await signIn("credentials", {
        redirect: false,
        email,
        password,
        totp,
        ...(setup ? { newPassword } : {}),
      }).catch(() => null);
      if (result === null) {
        setError(describe("unavailable"));
        return;
      }
      if (result?.ok && !result.error) {
        window.location.assign("/dashboard");
        return;
      }
      if (result?.error === "setup_required") {
        await beginSetup();
        return;
      }
      setError(describe(result?.error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate={false}>
      {ended && !setup && (
        <p className="notice" role="status">
          Your session has ended. Sign in again.
        </p>
      )}
      <p className="subtitle">
        {setup ? "Set a new password and enrol your authenticator" : "Sign in to the console"}
      </p>
      <div className="field">
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          readOnly={setup !== null}
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
          }}
        />
      </div>
      <div className="field">
        <label htmlFor="password">{setup ? "One-time password" : "Password"}</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          readOnly={setup !== null}
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
          }}
        />
      </div>
      {setup && (
        <>
          <div className="field">
            <label htmlFor="new-password">New password (at least 12 characters)</label>
            <input
              id="new-password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              minLength={12}
              required
              value={newPassword}
              onChange={(event) => {
                setNewPassword(event.target.value);
              }}
            />
          </div>
          <div className="field">
            <label htmlFor="confirm-password">Repeat the new password</label>
            <input
              id="confirm-password"
              type="password"
              autoComplete="new-password"
              minLength={12}
              required
              value={confirm}
              onChange={(event) => {
                setConfirm(event.target.value);
              }}
            />
          </div>
          <figure className="qr">
            <svg
              viewBox={`-2 -2 ${setup.qr.size + 4} ${setup.qr.size + 4}`}
              width="200"
              height="200"
              role="img"
              aria-label="QR code for your authenticator app"
              shapeRendering="crispEdges"
            >
              <rect
                x="-2"
                y="-2"
                width={setup.qr.size + 4}
                height={setup.qr.size + 4}
                fill="#fff"
              />
              <path d={setup.qr.d} fill="#000" />
            </svg>
            <figcaption>
              Scan this with your authenticator app, or enter the key by hand:
              <code className="manual-key" data-testid="manual-key">
                {setup.manualKey}
              </code>
            </figcaption>
          </figure>
        </>
      )}
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
          value={totp}
          onChange={(event) => {
            setTotp(event.target.value);
          }}
        />
        <span id="totp-hint" className="hint">
          {setup
            ? "The 6-digit code your app now shows for Conclave"
            : "The 6-digit code from your authenticator app (leave empty at first sign-in)"}
        </span>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button className="submit" type="submit" disabled={busy}>
        {setup ? "Save and sign in" : "Sign in"}
      </button>
    </form>
  );
}
