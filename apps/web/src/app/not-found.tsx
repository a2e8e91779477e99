import Link from "next/link";

// Next's built-in 404 page styles itself with inline `style` attributes, which the
// console's CSP refuses; this one uses the stylesheet only.
export default function NotFound() {
  return (
    <main className="auth-shell">
      <section className="auth-card" aria-labelledby="not-found-title">
        <h1 id="not-found-title">Page not found</h1>
        <p className="subtitle">There is nothing at this address.</p>
        <Link href="/dashboard">Back to the console</Link>
      </section>
    </main>
  );
}
