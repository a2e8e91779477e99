import { createConsoleFetchHandler } from "@conclave/api/adapters/create-console-fetch-handler";
import type { NextRequest } from "next/server";
import { consoleRuntime } from "../../../../server/console-runtime";
import { consoleSessionClaims } from "../../../../server/console-session";
import { requestMetaFrom } from "../../../../server/request-meta";
import { isSameOriginJsonRequest } from "../../../../server/same-origin";

// One-way acts need the password or a code again; from the browser they go through
// console.vaults.disable/delete, which check it in the same request.
const reauthenticatedElsewhere = new Set(["admin.vaults.disable", "admin.vaults.delete"]);

function needsReauthenticationRoute(req: NextRequest): boolean {
  let paths: string[];
  try {
    paths = decodeURIComponent(req.nextUrl.pathname.replace(/^\/api\/trpc\//, "")).split(",");
  } catch {
    return true;
  }
  return paths.some((path) => reauthenticatedElsewhere.has(path));
}

async function serve(req: NextRequest): Promise<Response> {
  const runtime = await consoleRuntime();
  const handler = createConsoleFetchHandler({
    deps: runtime.deps,
    endpoint: "/api/trpc",
    resolveRequest: async () => {
      const meta = requestMetaFrom(req.headers);
      return {
        ip: meta.ip,
        requestId: meta.requestId,
        consoleSession: await consoleSessionClaims(runtime, req),
      };
    },
  });
  return handler(req);
}

export function GET(req: NextRequest): Promise<Response> {
  return serve(req);
}

export async function POST(req: NextRequest): Promise<Response> {
  const runtime = await consoleRuntime();
  // A cross-site page cannot attach an Authorization header without a preflight we
  // never grant, so only cookie-borne calls need the Origin check.
  const bearer = req.headers.has("authorization");
  if (!bearer && !isSameOriginJsonRequest(req, runtime.config.http.publicOrigin)) {
    return Response.json(
      { error: { message: "Cross-origin or non-JSON request refused", code: "FORBIDDEN" } },
      { status: 403 },
    );
  }
  if (!bearer && needsReauthenticationRoute(req)) {
    return Response.json(
      { error: { message: "Use console.vaults with re-authentication", code: "FORBIDDEN" } },
      { status: 403 },
    );
  }
  return serve(req);
}
