import type { ConsoleRouter } from "@conclave/api/routers/console-root";
import { createTRPCClient, httpLink, type TRPCClient } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { inputlessMutationLink } from "./inputless-mutation-link";

// Query keys come from the procedure paths (trpc.x.queryKey() / pathKey()), never by hand.
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<ConsoleRouter>();

// One request per call (no batching): each call's status code is its own, so a 401
// or 403 is never hidden inside a 207.
export function createConsoleClient(): TRPCClient<ConsoleRouter> {
  return createTRPCClient<ConsoleRouter>({
    links: [inputlessMutationLink(), httpLink({ url: "/api/trpc" })],
  });
}
