import type { Metadata } from "next";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in · Conclave" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ended, error } = await searchParams;
  return (
    <main className="auth-shell">
      <section className="auth-card" aria-labelledby="signin-title">
        <h1 id="signin-title">Conclave</h1>
        <SignInForm
          ended={ended === "1"}
          initialError={typeof error === "string" ? error.slice(0, 64) : undefined}
        />
      </section>
    </main>
  );
}
