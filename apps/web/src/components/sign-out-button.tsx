"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { isUnauthenticated } from "../lib/console-error";
import { useTRPCClient } from "../lib/trpc";

export function SignOutButton() {
  const client = useTRPCClient();
  const [failed, setFailed] = useState(false);
  return (
    <>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setFailed(false);
          // The Session row is revoked first. If that fails the cookie is kept, so the
          // user is told and can try again instead of believing the session is over;
          // a 401 means the server has already ended it.
          void client.logout
            .mutate()
            .then(
              () => true,
              (error: unknown) => isUnauthenticated(error),
            )
            .then(async (ended) => {
              if (ended) await signOut({ callbackUrl: "/signin" });
              else setFailed(true);
            });
        }}
      >
        Sign out
      </button>
      {failed ? (
        <span role="alert" className="form-error">
          Sign-out failed: your session is still active. Try again.
        </span>
      ) : null}
    </>
  );
}
