import { request } from "node:https";

export type FetchFunction = (
  input: string | URL | Request,
  init?: RequestInit,
) => Promise<Response>;

const MAX_RESPONSE_BYTES = 1024 * 1024;

function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  return Object.fromEntries(new Headers(headers).entries());
}

/**
 * A fetch for tRPC's HTTP link that trusts exactly `ca` (DESIGN 5: Node's fetch takes no
 * CA). Without `ca` the system trust store applies. Only https URLs are accepted, so a
 * token can never travel in clear text.
 */
export function createPinnedFetch(ca: string | undefined): FetchFunction {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input);
      if (url.protocol !== "https:") {
        reject(new Error("refusing a non-https server URL"));
        return;
      }
      const body = init?.body;
      if (body !== undefined && body !== null && typeof body !== "string") {
        reject(new Error("pinned fetch sends string bodies only"));
        return;
      }
      const outgoing = request(
        url,
        {
          method: init?.method ?? "GET",
          headers: headerRecord(init?.headers),
          ...(ca === undefined ? {} : { ca }),
          minVersion: "TLSv1.2",
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              response.destroy(new Error("response too large"));
              return;
            }
            chunks.push(chunk);
          });
          response.on("error", reject);
          response.on("end", () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (typeof value === "string") headers.set(name, value);
              else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
            }
            resolve(
              new Response(Buffer.concat(chunks), {
                status: response.statusCode ?? 500,
                headers,
              }),
            );
          });
        },
      );
      outgoing.on("error", reject);
      init?.signal?.addEventListener("abort", () => {
        outgoing.destroy(new Error("aborted"));
      });
      outgoing.end(body ?? undefined);
    });
}
