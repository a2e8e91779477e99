import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "../../../../auth/auth-options";
import { consoleRuntime } from "../../../../server/console-runtime";
import { endConsoleSession } from "../../../../server/end-console-session";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(req: NextRequest, context: RouteContext): Promise<Response> {
  const runtime = await consoleRuntime();
  const { nextauth } = await context.params;
  if (req.method === "POST" && nextauth.join("/") === "signout") {
    // The session cookie is SameSite=Strict, so a cross-site POST carries none and
    // ends nothing. The cookie is cleared only once the server session is gone.
    try {
      await endConsoleSession(runtime, req);
    } catch (error) {
      runtime.logger.error({ err: error }, "console sign-out could not revoke the session");
      return Response.json(
        {
          error: {
            message: "Sign-out failed: your session is still active. Try again.",
            code: "SIGNOUT_FAILED",
          },
        },
        { status: 503, headers: { "cache-control": "no-store" } },
      );
    }
  }
  return (await (NextAuth(authOptions(runtime)) as (r: Request, c: RouteContext) => unknown)(
    req,
    context,
  )) as Response;
}

export { handler as GET, handler as POST };
