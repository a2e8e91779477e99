import path from "node:path";
import type { NextConfig } from "next";

// The nonce-based Content-Security-Policy is set per request in src/proxy.ts.
const securityHeaders = [
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "no-referrer" },
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
  },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  // The XSS auditor is gone from browsers, and its `1; mode=block` could be abused to
  // leak cross-site state; the CSP is the protection. `0` turns any remnant off.
  { key: "X-XSS-Protection", value: "0" },
];

const nextConfig: NextConfig = {
  // The browser suites build into their own directory (tests/console), so a
  // concurrent `npm run build` or `npm start` cannot swap the build under them.
  distDir: process.env.CONCLAVE_WEB_DIST_DIR ?? ".next",
  // A self-contained server tree (traced node_modules) that production runs with plain
  // node; scripts/build-server.ts adds the compiled custom server to it.
  output: "standalone",
  outputFileTracingRoot: path.join(import.meta.dirname, "../.."),
  poweredByHeader: false,
  reactStrictMode: true,
  transpilePackages: [
    "@conclave/api",
    "@conclave/auth",
    "@conclave/config",
    "@conclave/http-server",
    "@conclave/db",
    "@conclave/logger",
  ],
  turbopack: { root: path.join(import.meta.dirname, "../..") },
  headers() {
    return Promise.resolve([{ source: "/:path*", headers: securityHeaders }]);
  },
  redirects() {
    return Promise.resolve([{ source: "/", destination: "/dashboard", permanent: false }]);
  },
};

export default nextConfig;
