"use client";

import { signOut } from "next-auth/react";
import { trpc } from "../lib/trpc";

export function SignOutButton() {
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => {
        // The Session row is revoked first; the cookie is cleared either way.
        void trpc.logout
          .mutate()
          .catch(() => undefined)
          .then(() => signOut({ callbackUrl: "/signin" }));
      }}
    >
      Sign out
    </button>
  );
}
