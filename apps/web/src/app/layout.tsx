import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "Conclave",
  description: "Conclave console: threshold-signature vault coordination",
  robots: { index: false, follow: false },
};

/** Every page renders per request so that Next can stamp the CSP nonce from src/proxy.ts. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
