import type { IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { BrowserContext } from "playwright-core";
import type { ConsoleServer } from "./console-server";

export type ConsoleReply = { status: number; headers: IncomingHttpHeaders; body: string };

/**
 * One raw HTTPS request to the console (its CA pinned), outside any browser, so
 * headers a page could not send, or a path the URL parser would normalise, reach the
 * server as written. Redirects are not followed.
 */
export function consoleRequest(
  server: ConsoleServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ConsoleReply> {
  const { hostname, port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: hostname,
        port,
        path,
        method: options.method ?? "GET",
        ca: server.ca,
        headers: options.headers,
        agent: false,
      },
      (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

/** The Cookie header a browser context would send to the console. */
export async function cookieHeader(context: BrowserContext): Promise<string> {
  return (await context.cookies()).map((entry) => `${entry.name}=${entry.value}`).join("; ");
}
