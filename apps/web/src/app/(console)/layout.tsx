import Link from "next/link";
import type { ReactNode } from "react";
import { ConsoleUserProvider } from "../../components/console-user";
import { SignOutButton } from "../../components/sign-out-button";
import { requireConsoleUser } from "../../server/require-console-user";

const links = [
  { href: "/dashboard", label: "Dashboard" },
  { href: "/vaults", label: "Vaults" },
  { href: "/transactions", label: "Transactions" },
  { href: "/guardians", label: "Guardians" },
  { href: "/audit", label: "Audit log" },
  { href: "/security", label: "Security events" },
  { href: "/bans", label: "Bans" },
  { href: "/sessions", label: "My sessions" },
  { href: "/api-keys", label: "API keys", adminOnly: true },
  { href: "/users", label: "Users" },
];

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireConsoleUser();
  return (
    <ConsoleUserProvider user={{ userId: user.userId, email: user.email, role: user.role }}>
      <div className="console">
        <header className="topbar">
          <span className="brand">Conclave</span>
          <nav aria-label="Console">
            {links
              .filter((link) => !link.adminOnly || user.role === "ADMIN")
              .map((link) => (
                <Link key={link.href} href={link.href}>
                  {link.label}
                </Link>
              ))}
          </nav>
          <span className="who">
            {user.email}{" "}
            <span className={`badge role-${user.role.toLowerCase()}`}>{user.role}</span>
          </span>
          <SignOutButton />
        </header>
        <main className="content">{children}</main>
      </div>
    </ConsoleUserProvider>
  );
}
