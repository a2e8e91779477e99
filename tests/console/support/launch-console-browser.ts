import { chromium, type Browser } from "playwright-core";
import type { ConsoleServer } from "./console-server";

/** Headless Chromium that trusts the console server's self-signed certificate (by SPKI). */
export function launchConsoleBrowser(
  executablePath: string,
  server: ConsoleServer,
): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--ignore-certificate-errors-spki-list=${server.spkiHash}`,
    ],
  });
}
