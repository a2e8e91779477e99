"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { isUnauthenticated } from "../lib/console-error";
import { createConsoleClient, TRPCProvider } from "../lib/trpc";

function toSignIn(error: unknown): void {
  if (isUnauthenticated(error)) window.location.assign("/signin?ended=1");
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: toSignIn }),
        mutationCache: new MutationCache({ onError: toSignIn }),
        defaultOptions: {
          queries: {
            retry: (count, error) => !isUnauthenticated(error) && count < 1,
            refetchOnWindowFocus: true,
          },
        },
      }),
  );
  const [trpcClient] = useState(createConsoleClient);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
