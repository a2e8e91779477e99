import https from "node:https";

function probe(url: string, ca: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = https.get(url, { ca, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.once("timeout", () => request.destroy());
    request.once("error", () => {
      resolve(undefined);
    });
  });
}

/** Polls until the URL answers below 500 through the given CA, or the deadline passes. */
export async function waitForHttps(
  url: string,
  ca: string,
  timeoutMs: number,
  isAlive: () => boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && isAlive()) {
    const status = await probe(url, ca);
    if (status !== undefined && status < 500) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready`);
}
