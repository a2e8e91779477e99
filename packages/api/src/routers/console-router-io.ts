import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { ConsoleRouter } from "./console-root";

/** What each console procedure takes and returns, inferred from the router for apps/web. */
export type ConsoleRouterInputs = inferRouterInputs<ConsoleRouter>;
export type ConsoleRouterOutputs = inferRouterOutputs<ConsoleRouter>;
