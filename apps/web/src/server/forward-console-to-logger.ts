import type { Logger } from "@conclave/logger/create-logger";

type ConsoleMethod = "error" | "warn" | "info" | "log";

const levelOf: Record<ConsoleMethod, "error" | "warn" | "info"> = {
  error: "error",
  warn: "warn",
  info: "info",
  log: "info",
};

// Next and Prisma report their own failures (a render error, a query error with its
// parameters) with console.*: raw stacks and values on stderr. Routed here, they go
// through the redacting logger like every other line.
export function forwardConsoleToLogger(logger: Logger): void {
  for (const method of Object.keys(levelOf) as ConsoleMethod[]) {
    const level = levelOf[method];
    console[method] = (...args: unknown[]) => {
      const err = args.find((arg) => arg instanceof Error);
      const text = args.filter((arg) => typeof arg === "string").join(" ");
      const values = args.filter((arg) => typeof arg !== "string" && arg !== err);
      logger[level](
        {
          source: "console",
          ...(err === undefined ? {} : { err }),
          ...(values.length === 0 ? {} : { values }),
        },
        text === "" ? "console output" : text,
      );
    };
  }
}
