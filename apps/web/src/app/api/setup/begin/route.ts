import { RateLimitedError } from "@conclave/api/abuse/rate-limited-error";
import { beginCredentialSetup } from "@conclave/api/services/auth/begin-credential-setup";
import { ConsoleAuthError } from "@conclave/api/services/auth/console-auth-error";
import { guardConsoleCredentials } from "@conclave/api/services/auth/guard-console-credentials";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { encodeAbuseRefusal } from "../../../../auth/sign-in-error-code";
import { consoleRuntime } from "../../../../server/console-runtime";
import { qrPath } from "../../../../server/qr-path";
import { requestMetaFrom } from "../../../../server/request-meta";
import { isSameOriginJsonRequest } from "../../../../server/same-origin";

const body = z.strictObject({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(1024),
});

const noStore = { "cache-control": "no-store" };

// Step one of a first sign-in: the one-time password buys a fresh TOTP secret to
// enrol. Step two is the ordinary credentials sign-in with a new password. Both check
// a password, so both spend the same per-IP login budget and count failures alike.
export async function POST(req: NextRequest): Promise<Response> {
  const runtime = await consoleRuntime();
  if (!isSameOriginJsonRequest(req, runtime.config.http.publicOrigin)) {
    return Response.json({ error: "forbidden" }, { status: 403, headers: noStore });
  }
  const parsed = body.safeParse(await req.json().catch(() => null));
  if (!parsed.success) {
    return Response.json({ error: "invalid_request" }, { status: 400, headers: noStore });
  }
  const meta = requestMetaFrom(req.headers);
  try {
    const setup = await guardConsoleCredentials(runtime.deps, meta, parsed.data.email, () =>
      beginCredentialSetup(runtime.deps, meta, parsed.data),
    );
    return Response.json(
      { manualKey: setup.manualKey, qr: qrPath(setup.otpauthUri) },
      { headers: noStore },
    );
  } catch (error) {
    if (error instanceof ConsoleAuthError) {
      return Response.json({ error: error.authReason }, { status: 401, headers: noStore });
    }
    if (error instanceof RateLimitedError) {
      const retryAfter = String(error.retryAfterSeconds);
      return Response.json(
        { error: encodeAbuseRefusal(error.reason, error.retryAfterSeconds) },
        {
          status: error.reason === "banned" ? 403 : 429,
          headers: { ...noStore, "retry-after": retryAfter },
        },
      );
    }
    throw error;
  }
}
