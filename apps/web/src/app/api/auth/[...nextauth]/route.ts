import NextAuth from "next-auth";
import { authOptions } from "../../../../auth/auth-options";
import { consoleRuntime } from "../../../../server/console-runtime";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

async function handler(req: Request, context: RouteContext): Promise<Response> {
  const runtime = await consoleRuntime();
  return (await (NextAuth(authOptions(runtime)) as (r: Request, c: RouteContext) => unknown)(
    req,
    context,
  )) as Response;
}

export { handler as GET, handler as POST };
