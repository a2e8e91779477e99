"use client";

import { createContext, useContext, type ReactNode } from "react";

export type ConsoleUserView = { userId: string; email: string; role: "ADMIN" | "VIEWER" };

const ConsoleUserContext = createContext<ConsoleUserView | null>(null);

export function ConsoleUserProvider({
  user,
  children,
}: {
  user: ConsoleUserView;
  children: ReactNode;
}) {
  return <ConsoleUserContext.Provider value={user}>{children}</ConsoleUserContext.Provider>;
}

export function useConsoleUser(): ConsoleUserView {
  const user = useContext(ConsoleUserContext);
  if (!user) throw new Error("useConsoleUser outside the console layout");
  return user;
}

/** Viewers see the same pages; actions are hidden here and refused by the server. */
export function useCanWrite(): boolean {
  return useConsoleUser().role === "ADMIN";
}
