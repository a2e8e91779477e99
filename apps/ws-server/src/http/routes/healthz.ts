import type { Route } from "../route";
import { sendJson } from "../send-json";

export interface HealthzDependencies {
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  readonly checkDatabase: () => Promise<void>;
}

const DATABASE_CHECK_TIMEOUT_MS = 5_000;

function withTimeout(check: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error("database check timed out"));
    }, ms);
  });
  return Promise.race([check, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** `GET /healthz`: 200 when the database answers, 503 otherwise (no error detail leaves). */
export function createHealthzRoute(dependencies: HealthzDependencies): Route {
  return {
    method: "GET",
    path: "/healthz",
    async handle(_request, response, context) {
      try {
        await withTimeout(dependencies.checkDatabase(), DATABASE_CHECK_TIMEOUT_MS);
      } catch (error) {
        context.logger.warn({ err: error }, "health check: database unavailable");
        sendJson(response, 503, { status: "error", db: "error" });
        return;
      }
      sendJson(response, 200, { status: "ok", db: "ok" });
    },
  };
}
