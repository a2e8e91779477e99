import type { ConsoleCredential } from "@conclave/api/adapters/console-credential";
import { createConsoleFetchHandler } from "@conclave/api/adapters/create-console-fetch-handler";
import type { NextRequest } from "next/server";
import { consoleCredential } from "../../../../server/console-credential";
import { consoleRuntime, type ConsoleRuntime } from "../../../../server/console-runtime";
import { requestMetaFrom } from "../../../../server/request-meta";
import { isSameOriginJsonRequest } from "../../../../server/same-origin";

function forbidden(message: string): Response {
  return Response.json({ error: { message, code: "FORBIDDEN" } }, { status: 403 });
}

// Answers carry per-user data and one-time secrets: no cache may keep them.
function uncached(response: Response): Response {
  response.headers.set("cache-control", "no-store");
  return response;
}

// Rules that hold only for what a browser sends on its own: the session cookie.
// A cross-site page cannot attach an Authorization header without a preflight we
// never grant, and a request carrying both is refused by the handler.
function cookieRefusal(
  runtime: ConsoleRuntime,
  req: NextRequest,
  credential: ConsoleCredential,
): Response | null {
  if (credential.kind !== "cookie") return null;
  if (!isSameOriginJsonRequest(req, runtime.config.http.publicOrigin)) {
    return forbidden("Cross-origin or non-JSON request refused");
  }
  return null;
}

async function serve(
  runtime: ConsoleRuntime,
  req: NextRequest,
  credential: ConsoleCredential,
): Promise<Response> {
  const handler = createConsoleFetchHandler({
    deps: runtime.deps,
    endpoint: "/api/trpc",
    resolveRequest: () => {
      const meta = requestMetaFrom(req.headers);
      return Promise.resolve({ ip: meta.ip, requestId: meta.requestId, credential });
    },
  });
  return handler(req);
}

export async function GET(req: NextRequest): Promise<Response> {
  const runtime = await consoleRuntime();
  return uncached(await serve(runtime, req, await consoleCredential(runtime, req)));
}

// The credential is decided once, here; the same decision is handed to the API.
export async function POST(req: NextRequest): Promise<Response> {
  const runtime = await consoleRuntime();
  const credential = await consoleCredential(runtime, req);
  return uncached(
    cookieRefusal(runtime, req, credential) ?? (await serve(runtime, req, credential)),
  );
}
